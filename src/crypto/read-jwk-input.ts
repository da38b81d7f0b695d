import { SignetError } from '../errors.ts';

/**
 * The JWK in an import input (an object, or JSON text), or undefined when the input is PEM text.
 * Malformed JSON is ERR_INVALID_KEY with a fixed message: the input may be a private key (I3).
 */
export function readJwkInput(input: string | Record<string, unknown>): Record<string, unknown> | undefined {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input;
  if (typeof input !== 'string' || !input.trim().startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SignetError('ERR_INVALID_KEY', 'the key is neither a PEM private key nor a private JWK');
  }
  return parsed as Record<string, unknown>;
}
