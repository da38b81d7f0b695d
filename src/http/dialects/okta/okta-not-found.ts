import { SignetError, type ErrorCode } from '../../../errors.ts';

/** Okta's 404 wording: `Not found: Resource not found: {id} ({Type})` (E0000007). */
export function oktaNotFound(code: ErrorCode, id: string, type: string): SignetError {
  return new SignetError(code, `Resource not found: ${id} (${type})`);
}

/** Runs `fn`, re-throwing a not-found SignetError of `codes` in Okta's wording for `id` and `type`. */
export async function withOktaNotFound<T>(
  codes: readonly ErrorCode[],
  id: string,
  type: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SignetError && codes.includes(error.code)) throw oktaNotFound(error.code, id, type);
    throw error;
  }
}
