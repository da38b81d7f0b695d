/**
 * Types of the rotation simulator: a verifier model answers, for one library's JWKS cache, two
 * questions about a lifecycle action (docs/spec.md §7 "Rollout safety"). All times are epoch ms.
 */

/** The verifier libraries the simulator models (the `library` of its answer). */
export type VerifierLibrary =
  | 'jose'
  | 'jwks-rsa'
  | 'pyjwt'
  | 'microsoft-identitymodel'
  | 'spring-nimbus'
  | 'go-oidc'
  | 'cache-control';

/** From when until when something happens; `until` null means until the verifier restarts. */
export interface ExposureWindow {
  from: number;
  until: number | null;
}

/**
 * What an action at `at` changes, reduced to the facts every cache model needs. The simulator
 * assumes the worst moment for the verifier's last fetch, and that valid tokens keep arriving.
 */
export interface RotationScenario {
  /** When the action happens. */
  at: number;
  /**
   * When the key that signs from `at` was published, or null when the signer stays the same. A
   * verifier whose last copy of the JWKS predates it does not know the key.
   */
  signerPublishedAt: number | null;
  /**
   * When the last copy of the JWKS without that key expires under the `Cache-Control: max-age`
   * Signet served (including copies served under an earlier, longer max-age); null with the signer.
   */
  signerlessCopyExpiresAt: number | null;
  /** Whether a key leaves the JWKS at `at` (revoke, emergency rotate). */
  revokes: boolean;
  /** When a copy fetched just before `at` expires under the `Cache-Control: max-age` Signet served. */
  copyBeforeActionExpiresAt: number;
  /**
   * The first time after `at` that a key signs which a copy fetched just before `at` lacks, so a
   * verifier refetching on an unknown kid drops the revoked key then; null when nothing schedules
   * one (MANUAL mode).
   */
  nextUnknownSignerAt: number | null;
}

/** One library's cache behaviour, with the source it was read from documented in its file. */
export interface VerifierModel {
  library: VerifierLibrary;
  /** One line: the behaviour modelled, with the library, its version and its settings. */
  model: string;
  /** When a token signed by the new signer is refused (unknown kid), or null when never. */
  rejectsValidTokens(scenario: RotationScenario): ExposureWindow | null;
  /** When a token signed by a key that left the JWKS is still accepted, or null when never. */
  acceptsRevokedKey(scenario: RotationScenario): ExposureWindow | null;
}
