import type { Algorithm, Custody, Key } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { CUSTODIES, type CustodyKeyRef, type KeyCustody } from './key-custody.ts';

/** The custodies of one Signet process: `sealed` always, `pkcs11` when a token is configured. */
export interface Custodies {
  /** Custody of key sets created without one (`SIGNET_DEFAULT_CUSTODY`). */
  readonly defaultCustody: Custody;
  /** The custody `custody`; ERR_VALIDATION (400) when it is not configured on this instance. */
  get(custody: Custody): KeyCustody;
  /** The custody `custody`, or null when it is not configured on this instance. */
  find(custody: Custody): KeyCustody | null;
  /** Refuses, before anything is written, a key set whose custody is off or cannot sign `alg`. */
  assertCanCreate(custody: Custody, alg: Algorithm): void;
  /** False while a configured token is away (`/readyz` says so). */
  isAvailable(): boolean;
  /** Checks every configured custody now (`/readyz`). */
  check(): Promise<boolean>;
  close(): Promise<void>;
}

/** What custody needs of a stored key. */
export function custodyRef(key: Pick<Key, 'keySetId' | 'kid' | 'sealedPrivateKey' | 'tokenObjectId'>): CustodyKeyRef {
  return {
    keySetId: key.keySetId,
    kid: key.kid,
    held: { sealedPrivateKey: key.sealedPrivateKey, tokenObjectId: key.tokenObjectId },
  };
}

/** True when `value` names a custody. */
export function isCustody(value: unknown): value is Custody {
  return typeof value === 'string' && (CUSTODIES as readonly string[]).includes(value);
}

/** Gathers the configured custodies behind one lookup by a key set's custody. */
export function createCustodies(deps: {
  sealed: KeyCustody;
  pkcs11: KeyCustody | null;
  defaultCustody: Custody;
}): Custodies {
  const { sealed, pkcs11 } = deps;
  if (deps.defaultCustody === 'pkcs11' && pkcs11 === null) {
    throw new SignetError('ERR_VALIDATION', 'SIGNET_DEFAULT_CUSTODY is pkcs11 but no PKCS#11 token is configured', {
      fields: ['SIGNET_DEFAULT_CUSTODY'],
    });
  }
  const get = (custody: Custody): KeyCustody => {
    if (custody === 'sealed') return sealed;
    if (pkcs11 === null) {
      throw new SignetError(
        'ERR_VALIDATION',
        'custody pkcs11 is not configured on this instance (set SIGNET_PKCS11_MODULE, SIGNET_PKCS11_TOKEN_LABEL and SIGNET_PKCS11_PIN)',
        { fields: ['custody'] },
      );
    }
    return pkcs11;
  };
  return {
    defaultCustody: deps.defaultCustody,
    get,
    find: (custody) => (custody === 'sealed' ? sealed : pkcs11),
    assertCanCreate(custody, alg) {
      get(custody).assertSupports(alg);
    },
    isAvailable: () => pkcs11 === null || pkcs11.isAvailable(),
    check: async () => pkcs11 === null || pkcs11.check(),
    async close() {
      await pkcs11?.close();
    },
  };
}
