import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

/**
 * Before anything is measured: Signet's JWKS carries its caching and CORS headers, and a token
 * from each server verifies against that JWKS and carries the RFC 9068 claims. A faster Signet
 * that answered wrongly would otherwise look like a win.
 */
export async function checkSignetResponses(
  origin: string,
  tokenPath: string,
  jwksPath: string,
  authorization: string,
  expectAlg: string,
): Promise<void> {
  const jwksResponse = await fetch(`${origin}${jwksPath}`);
  const jwks = (await jwksResponse.json()) as { keys: Array<JsonWebKey & { kid: string; x5c?: string[] }> };
  for (const header of ['etag', 'cache-control', 'access-control-allow-origin']) {
    if (!jwksResponse.headers.get(header)) throw new Error(`JWKS ${jwksPath} lacks ${header}`);
  }
  if (!/max-age=\d+/.test(jwksResponse.headers.get('cache-control')!))
    throw new Error('JWKS Cache-Control has no max-age');
  const conditional = await fetch(`${origin}${jwksPath}`, {
    headers: { 'if-none-match': jwksResponse.headers.get('etag')! },
  });
  if (conditional.status !== 304) throw new Error(`JWKS If-None-Match answered ${conditional.status}`);
  for (const key of jwks.keys) {
    if (['d', 'p', 'q', 'dp', 'dq', 'qi'].some((member) => member in key))
      throw new Error('JWKS carries a private key member');
  }

  const tokenResponse = await fetch(`${origin}${tokenPath}`, {
    method: 'POST',
    body: 'grant_type=client_credentials',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (tokenResponse.status !== 200)
    throw new Error(`token endpoint ${tokenPath} answered ${tokenResponse.status}: ${await tokenResponse.text()}`);
  if (tokenResponse.headers.get('cache-control') !== 'no-store')
    throw new Error('token response lacks Cache-Control: no-store');
  const body = (await tokenResponse.json()) as { access_token: string; token_type: string; expires_in: number };
  const [headerPart, payloadPart, signaturePart] = body.access_token.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString()) as {
    alg: string;
    typ: string;
    kid: string;
  };
  const claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString()) as Record<string, unknown>;
  if (header.alg !== expectAlg || header.typ !== 'at+jwt') throw new Error(`token header ${JSON.stringify(header)}`);
  for (const claim of ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id']) {
    if (claims[claim] === undefined) throw new Error(`token lacks the ${claim} claim`);
  }
  const jwk = jwks.keys.find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`token kid ${header.kid} is not in the JWKS`);
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  const data = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  const hash = expectAlg === 'EdDSA' ? null : 'sha256';
  const ok =
    expectAlg === 'ES256'
      ? verify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)
      : verify(hash, data, publicKey, signature);
  if (!ok) throw new Error(`a ${expectAlg} token from ${tokenPath} does not verify against the JWKS`);
}
