import { SignetError, isSignetError } from '../errors.ts';

interface SchemaError {
  instancePath?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: SchemaError[];
  validationContext?: string;
  message?: string;
}

/**
 * Turns anything thrown while handling a request into a SignetError: framework errors (body
 * parsing, validation, limits) become 4xx codes; anything unknown becomes ERR_INTERNAL with a
 * generic message so no stack trace or internal detail reaches a response.
 */
export function toSignetError(error: unknown): SignetError {
  if (isSignetError(error)) return error;
  const e = (error ?? {}) as FastifyLikeError;
  if (Array.isArray(e.validation)) {
    const location = e.validationContext ?? 'request';
    return new SignetError('ERR_VALIDATION', `invalid ${location}: ${e.message ?? 'validation failed'}`, {
      location,
      ...schemaErrorDetails(e.validation),
    });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new SignetError('ERR_BODY_TOO_LARGE', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new SignetError('ERR_UNSUPPORTED_MEDIA_TYPE', 'unsupported Content-Type');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new SignetError(
        'ERR_VALIDATION',
        e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'request body is empty' : 'request body is not valid JSON',
      );
    default:
      break;
  }
  if (error instanceof SyntaxError || (typeof e.statusCode === 'number' && e.statusCode === 400)) {
    return new SignetError('ERR_VALIDATION', 'malformed request');
  }
  if (typeof e.statusCode === 'number' && e.statusCode === 413)
    return new SignetError('ERR_BODY_TOO_LARGE', 'request body is too large');
  if (typeof e.statusCode === 'number' && e.statusCode === 415)
    return new SignetError('ERR_UNSUPPORTED_MEDIA_TYPE', 'unsupported Content-Type');
  return new SignetError('ERR_INTERNAL', 'internal error');
}

/**
 * Which field a schema violation is about, so a form can show the error next to it: `fields` holds
 * the property name (as the services' own validation errors do) and `pointer` its RFC 6901 path.
 */
function schemaErrorDetails(errors: SchemaError[]): { fields: string[]; pointer: string } | undefined {
  const first = errors[0];
  if (!first) return undefined;
  const named = first.params?.missingProperty ?? first.params?.additionalProperty;
  const pointer =
    named === undefined
      ? (first.instancePath ?? '')
      : `${first.instancePath ?? ''}/${named.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  const field = named ?? pointer.split('/').at(-1)?.replaceAll('~1', '/').replaceAll('~0', '~');
  return field ? { fields: [field], pointer } : undefined;
}
