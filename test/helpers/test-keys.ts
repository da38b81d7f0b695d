import { DEFAULT_ROTATION_POLICY } from '../../src/domain/default-rotation-policy.ts';
import type { Key, KeyState, RotationPolicy } from '../../src/domain/types.ts';

/** A well-formed key record for pure domain tests; crypto fields are placeholders. */
export function testKey(kid: string, state: KeyState, fields: Partial<Key> = {}): Key {
  return {
    keySetId: 'ks_test',
    kid,
    alg: 'RS256',
    state,
    origin: 'generated',
    publicJwk: { kty: 'RSA', n: 'n', e: 'AQAB' },
    sealedPrivateKey: 'sealed',
    tokenObjectId: null,
    certificateDer: 'MII=',
    certificateIssuer: 'signet',
    certificateNotBefore: 0,
    certificateNotAfter: Date.UTC(2030, 0, 1),
    createdAt: 0,
    publishedAt: 0,
    activatedAt: state === 'active' || state === 'draining' ? 0 : null,
    drainingSince: null,
    retireAt: null,
    retiredAt: null,
    revokedAt: null,
    tokenLifetimeCeilingSeconds: 3600,
    ...fields,
  };
}

/** The default policy with overrides. */
export function testPolicy(fields: Partial<RotationPolicy> = {}): RotationPolicy {
  return { ...DEFAULT_ROTATION_POLICY, ...fields };
}
