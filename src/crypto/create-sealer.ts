import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { SignetError } from '../errors.ts';
import type { MasterKey } from './master-key.ts';

/** Seals private keys at rest under the master keyring (docs/spec.md I3). */
export interface Sealer {
  /** The id of the master key new seals use. */
  readonly currentMasterKeyId: string;
  /** Encrypts the PKCS#8 DER of `privateKey`, bound to `aad` (callers pass `${keySetId}/${kid}`). */
  seal(privateKey: KeyObject, aad: string): string;
  /** Decrypts and imports a sealed key; throws ERR_INTERNAL when it cannot (wrong key, AAD or tampering). */
  unseal(sealed: string, aad: string): KeyObject;
  /** Encrypts a secret (a webhook signing key) bound to `aad`, like a private key. */
  sealSecret(secret: Buffer, aad: string): string;
  /** Decrypts a sealed secret; throws ERR_INTERNAL when it cannot. */
  unsealSecret(sealed: string, aad: string): Buffer;
  /** The id of the master key that sealed `sealed`, for re-sealing under a newer one. */
  masterKeyIdOf(sealed: string): string;
}

const FORMAT = 'sgk1';
const CIPHER = 'aes-256-gcm';
// NIST SP 800-38D §8.2.2: 96-bit random IVs; under one master key the collision bound allows
// far more seals (2^32) than Signet will ever make.
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface SealedParts {
  masterKeyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parse(sealed: string): SealedParts {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  const [format, id, iv, ciphertext, tag] = parts;
  if (
    parts.length !== 5 ||
    format !== FORMAT ||
    ![id, iv, ciphertext, tag].every((part) => BASE64URL.test(part ?? ''))
  ) {
    throw new SignetError('ERR_INTERNAL', 'the sealed private key is malformed');
  }
  const parsed = {
    masterKeyId: id as string,
    iv: Buffer.from(iv as string, 'base64url'),
    ciphertext: Buffer.from(ciphertext as string, 'base64url'),
    tag: Buffer.from(tag as string, 'base64url'),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
    throw new SignetError('ERR_INTERNAL', 'the sealed private key is malformed');
  }
  return parsed;
}

/** Creates the AES-256-GCM sealer over a keyring whose first key seals and all keys unseal. */
export function createSealer(masterKeys: MasterKey[]): Sealer {
  const current = masterKeys[0];
  if (current === undefined) throw new SignetError('ERR_VALIDATION', 'at least one master key is required');
  for (const masterKey of masterKeys) {
    if (masterKey.key.length !== 32)
      throw new SignetError('ERR_VALIDATION', `master key ${masterKey.id} is not 32 bytes`);
  }
  const byId = new Map(masterKeys.map((masterKey) => [masterKey.id, masterKey.key]));

  function encrypt(plaintext: Buffer, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, current!.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT,
      current!.id,
      iv.toString('base64url'),
      ciphertext.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  function decrypt(sealed: string, aad: string): Buffer {
    const parts = parse(sealed);
    const key = byId.get(parts.masterKeyId);
    if (key === undefined) {
      throw new SignetError('ERR_INTERNAL', `sealed with master key ${parts.masterKeyId}, which is not configured`);
    }
    try {
      const decipher = createDecipheriv(CIPHER, key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
    } catch {
      // GCM authentication failed: wrong master key, wrong row (AAD) or altered ciphertext.
      throw new SignetError(
        'ERR_INTERNAL',
        `the sealed private key failed authentication under master key ${parts.masterKeyId}`,
      );
    }
  }

  return {
    currentMasterKeyId: current.id,

    seal(privateKey, aad) {
      if (privateKey.type !== 'private') throw new SignetError('ERR_INTERNAL', 'only a private key can be sealed');
      const plaintext = privateKey.export({ format: 'der', type: 'pkcs8' });
      try {
        return encrypt(plaintext, aad);
      } finally {
        plaintext.fill(0);
      }
    },

    unseal(sealed, aad) {
      const plaintext = decrypt(sealed, aad);
      try {
        return createPrivateKey({ key: plaintext, format: 'der', type: 'pkcs8' });
      } catch {
        throw new SignetError('ERR_INTERNAL', 'the unsealed private key is not valid PKCS#8');
      } finally {
        plaintext.fill(0);
      }
    },

    sealSecret(secret, aad) {
      return encrypt(secret, aad);
    },

    unsealSecret(sealed, aad) {
      return decrypt(sealed, aad);
    },

    masterKeyIdOf(sealed) {
      return parse(sealed).masterKeyId;
    },
  };
}
