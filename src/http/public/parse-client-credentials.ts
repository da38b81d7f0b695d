import { SignetError } from '../../errors.ts';

/** Client credentials found in a token request. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

/** RFC 6749 §2.3.1 / Appendix B: Basic credentials are form-urlencoded before base64. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new SignetError('ERR_UNAUTHENTICATED', 'malformed client credentials in the Authorization header');
  }
}

/**
 * Reads client authentication from the Authorization header (client_secret_basic) or the body
 * (client_secret_post); using both, or neither, is refused (RFC 6749 §2.3).
 */
export function parseClientCredentials(
  authorization: string | undefined,
  body: Record<string, string>,
): ClientCredentials {
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i);
  if (authorization !== undefined && !basic) {
    throw new SignetError('ERR_UNAUTHENTICATED', 'unsupported Authorization scheme; use Basic or client_secret_post');
  }
  if (basic && inBody)
    throw new SignetError('ERR_VALIDATION', 'client credentials must be sent in one way only (RFC 6749 §2.3)');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1)
      throw new SignetError('ERR_UNAUTHENTICATED', 'malformed client credentials in the Authorization header');
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
      method: 'client_secret_basic',
    };
  }
  if (body.client_id && body.client_secret !== undefined) {
    return { clientId: body.client_id, clientSecret: body.client_secret, method: 'client_secret_post' };
  }
  throw new SignetError('ERR_UNAUTHENTICATED', 'client authentication is required');
}
