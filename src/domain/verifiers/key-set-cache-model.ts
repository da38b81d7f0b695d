import type { ExposureWindow, RotationScenario, VerifierLibrary, VerifierModel } from './verifier-model.ts';

/** The two numbers that decide how a whole-set JWKS cache behaves across a rotation. */
export interface KeySetCacheSettings {
  library: VerifierLibrary;
  model: string;
  /** How long a fetched JWKS is used before the next lookup fetches it again; Infinity = forever. */
  cacheMs: number;
  /**
   * After a lookup of an unknown kid the library fetches again unless its last fetch is younger
   * than this; 0 = always; null = never refetches on an unknown kid.
   */
  missCooldownMs: number | null;
}

/**
 * A model of the common shape (jose, PyJWT, Microsoft.IdentityModel, Spring/Nimbus, go-oidc): the
 * whole JWKS is cached for `cacheMs`, and an unknown kid triggers a refetch after a cooldown.
 *
 * Rejection: the worst last fetch is just before the new signer was published, so the verifier
 * refuses it until that copy may be refetched: published + min(cacheMs, missCooldownMs).
 * Revocation: the worst last fetch is just before the action, so the revoked key is accepted until
 * that copy expires, or until a valid token with a kid the copy lacks forces a refetch.
 */
export function keySetCacheModel(settings: KeySetCacheSettings): VerifierModel {
  const { library, model, cacheMs, missCooldownMs } = settings;
  return {
    library,
    model,
    rejectsValidTokens(scenario: RotationScenario): ExposureWindow | null {
      if (scenario.signerPublishedAt === null) return null;
      const hold = Math.min(cacheMs, missCooldownMs ?? Infinity);
      return windowFrom(scenario.at, scenario.signerPublishedAt + hold);
    },
    acceptsRevokedKey(scenario: RotationScenario): ExposureWindow | null {
      if (!scenario.revokes) return null;
      const expires = scenario.at + cacheMs;
      const forcedRefetch =
        missCooldownMs === null || scenario.nextUnknownSignerAt === null
          ? Infinity
          : Math.max(scenario.nextUnknownSignerAt, scenario.at + missCooldownMs);
      return windowFrom(scenario.at, Math.min(expires, forcedRefetch));
    },
  };
}

/** The window from `at` to `until` (null for never-ending), or null when it ends before it starts. */
export function windowFrom(at: number, until: number): ExposureWindow | null {
  if (until <= at) return null;
  return { from: at, until: Number.isFinite(until) ? until : null };
}
