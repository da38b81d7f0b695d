import type { VerifierLibrary } from './verifier-model.ts';

/**
 * What each library (or the HTTP stack under it) sends as User-Agent by default, most specific
 * first. jose sends `jose/vX`; PyJWT 2.x uses urllib without headers (`Python-urllib/3.x`);
 * go-oidc uses net/http (`Go-http-client/1.1`); Spring's RestTemplate and Nimbus use the JDK's
 * HttpURLConnection (`Java/21...`) or Reactor Netty; jwks-rsa and .NET HttpClient send none by
 * default, so only an explicit name matches them. Browsers honour Cache-Control.
 */
const USER_AGENT_PATTERNS: ReadonlyArray<readonly [RegExp, VerifierLibrary]> = [
  [/\bjwks-rsa\b/i, 'jwks-rsa'],
  [/^jose\/v?\d/i, 'jose'],
  [/\bpyjwt\b|^python-urllib\//i, 'pyjwt'],
  [/microsoft\.identitymodel|\bidentitymodel\b|\.net\b|\bdotnet\b/i, 'microsoft-identitymodel'],
  [/\bnimbus|\bspring\b|^java\/\d|reactornetty|apache-httpclient/i, 'spring-nimbus'],
  [/\bgo-oidc\b|^go-http-client\//i, 'go-oidc'],
  [/^mozilla\//i, 'cache-control'],
];

/**
 * The verifier model that fits a JWKS consumer's User-Agent, or null when none does: lets observed
 * consumers (readiness) be simulated with the cache behaviour of the library they run.
 */
export function matchVerifierModel(userAgent: string | null | undefined): VerifierLibrary | null {
  if (!userAgent) return null;
  for (const [pattern, library] of USER_AGENT_PATTERNS) if (pattern.test(userAgent)) return library;
  return null;
}
