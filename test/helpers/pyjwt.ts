import { execFile } from 'node:child_process';

/** Debian's Python, where `python3-jwt` installs PyJWT (a pyenv `python3` on PATH would not see it). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** The file of Debian's `python3-jwt` (scripts/ensure-debian-packages.ts installs it when missing). */
export const PYJWT_MODULE = '/usr/lib/python3/dist-packages/jwt/__init__.py';

// PyJWKClient fetches the JWKS itself, picks the key by the token's kid, and PyJWT verifies the
// signature and exp; aud is checked when given. Prints the claims as JSON.
const VERIFY = `
import json, sys, jwt
token, jwks_url, alg, issuer, audience = sys.argv[1:6]
client = jwt.PyJWKClient(jwks_url)
key = client.get_signing_key_from_jwt(token)
claims = jwt.decode(token, key.key, algorithms=[alg], issuer=issuer, audience=audience)
print(json.dumps(claims))
`;

/** Verifies `token` with PyJWT's PyJWKClient against `jwksUrl`; returns the claims or throws PyJWT's error. */
export function verifyWithPyJwt(
  token: string,
  options: { jwksUrl: string; alg: string; issuer: string; audience: string },
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    // Asynchronous: the Signet answering PyJWKClient's fetch runs in this process.
    execFile(
      DEBIAN_PYTHON,
      ['-c', VERIFY, token, options.jwksUrl, options.alg, options.issuer, options.audience],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`PyJWT refused the token: ${stderr.trim() || error.message}`));
        else resolve(JSON.parse(stdout) as Record<string, unknown>);
      },
    );
  });
}
