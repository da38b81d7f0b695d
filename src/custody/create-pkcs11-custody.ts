import { randomBytes, type KeyObject } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { CustodyKeyPair, CustodyKeyRef, KeyCustody, SignBytes } from './key-custody.ts';
import { importTemplates, publicKeyFromAttributes, publicTemplate } from './pkcs11-key-attributes.ts';
import { pkcs11Mechanism } from './pkcs11-mechanism.ts';
import { openPkcs11Token, unavailable, type Pkcs11Token, type Pkcs11TokenOptions } from './open-pkcs11-token.ts';

const OBJECT_ID_BYTES = 16;
// Large enough for an RSA-8192 signature; pkcs11js answers the slice the module wrote.
const SIGNATURE_BUFFER_BYTES = 1024;

/** A PKCS#11 failure that means the token or its sessions are gone, not that the request was wrong. */
function isTokenGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === pkcs11js.CKR_DEVICE_REMOVED ||
    code === pkcs11js.CKR_TOKEN_NOT_PRESENT ||
    code === pkcs11js.CKR_DEVICE_ERROR ||
    code === pkcs11js.CKR_SESSION_HANDLE_INVALID ||
    code === pkcs11js.CKR_SESSION_CLOSED ||
    code === pkcs11js.CKR_USER_NOT_LOGGED_IN ||
    code === pkcs11js.CKR_CRYPTOKI_NOT_INITIALIZED ||
    code === pkcs11js.CKR_SLOT_ID_INVALID
  );
}

/** Private-key attributes every Signet key gets on the token: non-extractable, sensitive, persistent. */
function privateAttributes(id: Buffer): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_SIGN, value: true },
    { type: pkcs11js.CKA_ID, value: id },
    { type: pkcs11js.CKA_LABEL, value: 'signet' },
  ];
}

function publicAttributes(id: Buffer): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_VERIFY, value: true },
    { type: pkcs11js.CKA_ID, value: id },
    { type: pkcs11js.CKA_LABEL, value: 'signet' },
  ];
}

/**
 * The `pkcs11` custody: keys are generated (or imported) on a PKCS#11 token as sensitive,
 * non-extractable token objects found by their `CKA_ID`, so every instance sharing the token signs
 * with them; storage keeps only the public key and that id. Signing runs on the libuv thread pool
 * (`C_SignAsync`), never on the event loop.
 */
export function createPkcs11Custody(options: Pkcs11TokenOptions): KeyCustody {
  const token: Pkcs11Token = openPkcs11Token(options);
  const handles = new Map<string, Buffer>();

  /**
   * Runs a token call; a token that went away marks the custody unavailable and answers 503 (the
   * next call reconnects). A stale object handle (the token re-indexed its objects) is looked up
   * again once.
   */
  async function withSession<T>(run: (session: Buffer) => Promise<T> | T): Promise<T> {
    const session = await token.acquire().catch((error: unknown) => {
      if (isSignetError503(error)) throw error;
      throw unavailable();
    });
    try {
      try {
        return await run(session);
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== pkcs11js.CKR_OBJECT_HANDLE_INVALID) throw error;
        handles.clear();
        return await run(session);
      }
    } catch (error) {
      if (isTokenGone(error) || !token.isHealthy(session)) {
        handles.clear();
        token.markGone();
        throw unavailable();
      }
      throw error;
    } finally {
      token.release(session);
    }
  }

  /**
   * Confirms the token is still there after a call that may have succeeded on a store it no longer
   * has: SoftHSM2 keeps sessions open after its token went away and answers finds and destroys on
   * them, so a destruction is only done once the token answers (withSession then reports it gone).
   */
  function assertTokenAnswers(session: Buffer): void {
    if (!token.isHealthy(session)) throw new Error('the token does not answer');
  }

  function findObject(session: Buffer, objectId: string, objectClass: number): Buffer {
    const key = `${objectClass}/${objectId}`;
    const cached = handles.get(key);
    if (cached) return cached;
    const p = token.module;
    p.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: objectClass },
      { type: pkcs11js.CKA_ID, value: Buffer.from(objectId, 'hex') },
    ]);
    try {
      const found = p.C_FindObjects(session, 2);
      if (found.length !== 1) {
        throw new SignetError(
          'ERR_INTERNAL',
          `the token holds ${found.length} objects with CKA_ID ${objectId}, expected one`,
        );
      }
      handles.set(key, found[0] as Buffer);
      return found[0] as Buffer;
    } finally {
      p.C_FindObjectsFinal(session);
    }
  }

  function readPublicKeyOf(session: Buffer, handle: Buffer): KeyObject {
    const p = token.module;
    const value = (type: number): Buffer => {
      const [attribute] = p.C_GetAttributeValue(session, handle, [{ type }]);
      if (!Buffer.isBuffer(attribute?.value))
        throw new SignetError('ERR_INTERNAL', 'the token answered no attribute value');
      return attribute.value;
    };
    const typeBytes = value(pkcs11js.CKA_KEY_TYPE);
    const keyType = typeBytes.readUIntLE(0, Math.min(typeBytes.length, 6));
    if (keyType === pkcs11js.CKK_RSA) {
      return publicKeyFromAttributes({
        keyType,
        modulus: value(pkcs11js.CKA_MODULUS),
        publicExponent: value(pkcs11js.CKA_PUBLIC_EXPONENT),
      });
    }
    return publicKeyFromAttributes({
      keyType,
      ecParams: value(pkcs11js.CKA_EC_PARAMS),
      ecPoint: value(pkcs11js.CKA_EC_POINT),
    });
  }

  function signerFor(objectId: string): SignBytes {
    return (alg, data) =>
      withSession(async (session) => {
        const mechanism = pkcs11Mechanism(alg);
        token.module.C_SignInit(session, mechanism.sign, findObject(session, objectId, pkcs11js.CKO_PRIVATE_KEY));
        return token.module.C_SignAsync(session, mechanism.prepare(data), Buffer.alloc(SIGNATURE_BUFFER_BYTES));
      });
  }

  async function destroyObjects(objectId: string): Promise<void> {
    await withSession((session) => {
      for (const objectClass of [pkcs11js.CKO_PRIVATE_KEY, pkcs11js.CKO_PUBLIC_KEY]) {
        let handle: Buffer;
        try {
          handle = findObject(session, objectId, objectClass);
        } catch (error) {
          // Already gone (another instance destroyed it first): destroying is idempotent.
          if (error instanceof SignetError) continue;
          throw error;
        }
        token.module.C_DestroyObject(session, handle);
        handles.delete(`${objectClass}/${objectId}`);
      }
      assertTokenAnswers(session);
    });
  }

  function held(objectId: string, publicKey: KeyObject): CustodyKeyPair {
    return {
      publicKey,
      sign: signerFor(objectId),
      async bind(keySetId, kid) {
        // The label names the row for an operator browsing the token; lookups use CKA_ID.
        await withSession((session) => {
          const label = [{ type: pkcs11js.CKA_LABEL, value: `signet:${keySetId}/${kid}` }];
          token.module.C_SetAttributeValue(session, findObject(session, objectId, pkcs11js.CKO_PRIVATE_KEY), label);
          token.module.C_SetAttributeValue(session, findObject(session, objectId, pkcs11js.CKO_PUBLIC_KEY), label);
        });
        return { sealedPrivateKey: null, tokenObjectId: objectId };
      },
      discard: () => destroyObjects(objectId),
    };
  }

  function tokenObjectIdOf(key: CustodyKeyRef): string {
    if (key.held.tokenObjectId === null) {
      throw new SignetError('ERR_INTERNAL', `key ${key.kid} is not held on a PKCS#11 token`);
    }
    return key.held.tokenObjectId;
  }

  const custody: KeyCustody = {
    custody: 'pkcs11',

    assertSupports(alg: Algorithm) {
      const mechanism = pkcs11Mechanism(alg);
      const missing = [mechanism.generate, mechanism.sign.mechanism].filter((m) => !token.mechanisms.has(m));
      if (missing.length > 0) {
        throw new SignetError(
          'ERR_UNSUPPORTED_ALGORITHM',
          `the PKCS#11 token does not offer ${alg} (missing mechanism ${missing.map((m) => `0x${m.toString(16)}`).join(', ')}); choose another algorithm or custody sealed`,
          { alg, custody: 'pkcs11' },
        );
      }
    },

    async generate(alg, rsaModulusLength = 2048) {
      custody.assertSupports(alg);
      const id = randomBytes(OBJECT_ID_BYTES);
      const objectId = id.toString('hex');
      const publicKey = await withSession(async (session) => {
        const pair = await token.module.C_GenerateKeyPairAsync(
          session,
          { mechanism: pkcs11Mechanism(alg).generate },
          [...publicAttributes(id), ...publicTemplate(alg, rsaModulusLength)],
          privateAttributes(id),
        );
        handles.set(`${pkcs11js.CKO_PRIVATE_KEY}/${objectId}`, pair.privateKey);
        handles.set(`${pkcs11js.CKO_PUBLIC_KEY}/${objectId}`, pair.publicKey);
        return readPublicKeyOf(session, pair.publicKey);
      });
      return held(objectId, publicKey);
    },

    async importPrivateKey(privateKey) {
      const jwk = privateKey.export({ format: 'jwk' });
      const templates = importTemplates(jwk);
      const id = randomBytes(OBJECT_ID_BYTES);
      const objectId = id.toString('hex');
      try {
        const publicKey = await withSession((session) => {
          const privateHandle = token.module.C_CreateObject(session, [
            ...privateAttributes(id),
            ...templates.privateKey,
          ]);
          const publicHandle = token.module.C_CreateObject(session, [...publicAttributes(id), ...templates.publicKey]);
          handles.set(`${pkcs11js.CKO_PRIVATE_KEY}/${objectId}`, privateHandle);
          handles.set(`${pkcs11js.CKO_PUBLIC_KEY}/${objectId}`, publicHandle);
          return readPublicKeyOf(session, publicHandle);
        });
        return held(objectId, publicKey);
      } finally {
        // The private members were only needed to build the template.
        for (const template of [templates.privateKey]) {
          for (const attribute of template) if (Buffer.isBuffer(attribute.value)) attribute.value.fill(0);
        }
      }
    },

    open(key) {
      return signerFor(tokenObjectIdOf(key));
    },

    readPublicKey(key) {
      const objectId = tokenObjectIdOf(key);
      return withSession((session) => readPublicKeyOf(session, findObject(session, objectId, pkcs11js.CKO_PUBLIC_KEY)));
    },

    destroy(key) {
      return destroyObjects(tokenObjectIdOf(key));
    },

    listHeldObjectIds() {
      return withSession((session) => {
        const p = token.module;
        const ids = new Set<string>();
        for (const objectClass of [pkcs11js.CKO_PRIVATE_KEY, pkcs11js.CKO_PUBLIC_KEY]) {
          p.C_FindObjectsInit(session, [
            { type: pkcs11js.CKA_CLASS, value: objectClass },
            { type: pkcs11js.CKA_TOKEN, value: true },
          ]);
          try {
            for (let batch = p.C_FindObjects(session, 64); batch.length > 0; batch = p.C_FindObjects(session, 64)) {
              for (const handle of batch) {
                const [id] = p.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_ID }]);
                if (Buffer.isBuffer(id?.value) && id.value.length > 0) ids.add(id.value.toString('hex'));
              }
            }
          } finally {
            p.C_FindObjectsFinal(session);
          }
        }
        assertTokenAnswers(session);
        return ids;
      });
    },

    isAvailable: () => token.isAvailable(),
    async check() {
      try {
        // A session can outlive its token (SoftHSM2 keeps it open); the token info cannot.
        await withSession(assertTokenAnswers);
        return true;
      } catch {
        return false;
      }
    },
    close: () => token.close(),
  };
  return custody;
}

function isSignetError503(error: unknown): boolean {
  return error instanceof SignetError && error.code === 'ERR_CUSTODY_UNAVAILABLE';
}
