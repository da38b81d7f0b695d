import { SignetError } from '../../errors.ts';

/**
 * Token request parameters as single strings, from a form or a JSON body (Auth0 and OneLogin
 * clients send JSON); a repeated or non-string parameter is refused (RFC 6749 §3.2).
 */
export function readTokenParams(body: unknown): Record<string, string> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SignetError('ERR_VALIDATION', 'the token request needs an application/x-www-form-urlencoded body');
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string')
      throw new SignetError('ERR_VALIDATION', `parameter ${name} must be given once, as a string`);
    params[name] = value;
  }
  return params;
}
