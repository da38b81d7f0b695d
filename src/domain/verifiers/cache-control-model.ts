import { windowFrom } from './key-set-cache-model.ts';
import type { ExposureWindow, RotationScenario, VerifierModel } from './verifier-model.ts';

/**
 * A verifier behind a plain HTTP cache (RFC 9111) that honours `Cache-Control: max-age` and never
 * refetches early on an unknown kid: the behaviour Signet's own timing rules assume (docs/spec.md
 * §3). It keeps each copy exactly as long as the max-age Signet served with it
 * (`src/domain/jwks-max-age.ts`), including copies served under an earlier, longer max-age.
 */
export function cacheControlModel(): VerifierModel {
  return {
    library: 'cache-control',
    model: 'an HTTP cache honouring Cache-Control max-age as served, no refetch on an unknown kid',
    rejectsValidTokens(scenario: RotationScenario): ExposureWindow | null {
      if (scenario.signerlessCopyExpiresAt === null) return null;
      return windowFrom(scenario.at, scenario.signerlessCopyExpiresAt);
    },
    acceptsRevokedKey(scenario: RotationScenario): ExposureWindow | null {
      if (!scenario.revokes) return null;
      return windowFrom(scenario.at, scenario.copyBeforeActionExpiresAt);
    },
  };
}
