import { SignetError, type ErrorCode } from '../../../errors.ts';

/**
 * An Okta E0000001 error with the exact summary and cause Okta documents, e.g.
 * `Api validation failed: generateKey` / "Validity years out of range. It should be 2 - 10 years".
 */
export function oktaValidationError(operation: string, cause: string, code: ErrorCode = 'ERR_VALIDATION'): SignetError {
  return new SignetError(code, cause, { errorSummary: `Api validation failed: ${operation}`, errorCauses: [cause] });
}

/**
 * Runs `fn`, re-throwing a validation-class SignetError (bad input, a duplicate, a key in use, a
 * reference to a missing credential) as Okta's 400 E0000001 for `operation`, its message the cause.
 */
export async function asOktaValidation<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (
      error instanceof SignetError &&
      VALIDATION_CODES.has(error.code) &&
      typeof error.details?.errorSummary !== 'string'
    ) {
      throw oktaValidationError(operation, error.message);
    }
    throw error;
  }
}

const VALIDATION_CODES: ReadonlySet<ErrorCode> = new Set([
  'ERR_VALIDATION',
  'ERR_INVALID_KEY',
  'ERR_ALREADY_EXISTS',
  'ERR_KEY_IN_USE',
  'ERR_INVALID_TRANSITION',
  'ERR_UNSUPPORTED_ALGORITHM',
  'ERR_KEY_STORE_CREDENTIAL_NOT_FOUND',
]);
