import type { CustodyConfig } from '../config/load-config.ts';
import type { Sealer } from '../crypto/create-sealer.ts';
import { createCustodies, type Custodies } from './create-custodies.ts';
import { createPkcs11Custody } from './create-pkcs11-custody.ts';
import { createSealedCustody } from './create-sealed-custody.ts';

/** Opens the configured custodies: `sealed` over the master keys, `pkcs11` when a module is configured. */
export function openCustodies(config: CustodyConfig, sealer: Sealer): Custodies {
  return createCustodies({
    sealed: createSealedCustody({ sealer }),
    pkcs11: config.pkcs11 ? createPkcs11Custody(config.pkcs11) : null,
    defaultCustody: config.defaultCustody,
  });
}
