import type { Algorithm } from '../domain/types.ts';

/**
 * Signs a JWT claims set into a compact JWS with one fixed key; `typ` overrides the signer's
 * default. It resolves once the signature is computed, which for RSA happens on libuv's thread
 * pool while the event loop serves other requests. A string payload is an already encoded segment
 * (base64url JSON), signed byte for byte as given (Kubernetes assembles the token itself).
 */
export type JwtSigner = (payload: Record<string, unknown> | string, typ?: string) => Promise<string>;

/**
 * The compact JWS (RFC 7515 §7.1) around a signing function, whatever holds the key (a KeyObject,
 * a PKCS#11 token): one header per typ, encoded once.
 */
export function assembleJws(options: {
  alg: Algorithm;
  kid: string;
  /** The default JOSE `typ` header. */
  typ: string;
  signData: (data: Buffer) => Promise<Buffer>;
}): JwtSigner {
  const { alg, kid, typ, signData } = options;
  // The header changes only with typ, so each one is encoded once (a few distinct typ values are
  // in use: at+jwt, JWT, logout+jwt, secevent+jwt ...; the cache stops growing past a bound).
  const encodeHeader = (headerTyp: string): string =>
    `${Buffer.from(JSON.stringify({ alg, typ: headerTyp, kid })).toString('base64url')}.`;
  const defaultHeader = encodeHeader(typ);
  const headers = new Map<string, string>();
  return async (payload, headerTyp) => {
    let encodedHeader = defaultHeader;
    if (headerTyp !== undefined && headerTyp !== typ) {
      encodedHeader = headers.get(headerTyp) ?? encodeHeader(headerTyp);
      if (headers.size < 32) headers.set(headerTyp, encodedHeader);
    }
    const encodedPayload =
      typeof payload === 'string' ? payload : Buffer.from(JSON.stringify(payload)).toString('base64url');
    const signingInput = `${encodedHeader}${encodedPayload}`;
    const signature = await signData(Buffer.from(signingInput));
    return `${signingInput}.${signature.toString('base64url')}`;
  };
}
