/** One schema violation as ajv reports it (the members this needs). */
export interface SchemaViolation {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** The error a schema violation becomes: what toSignetError turns into ERR_VALIDATION with the field named. */
export type SchemaValidationError = Error & { validation: SchemaViolation[]; validationContext: string };

/**
 * The error of a request part (`body`, `params`, ...) that failed its schema, worded as Fastify's
 * default formatter words it (`body/expiresIn must be <= 31536000`). It is Fastify's
 * `schemaErrorFormatter` (create-app.ts), and the fast sign path builds its validation refusals
 * with it, so both give the same message.
 */
export function schemaValidationError(errors: readonly SchemaViolation[], dataVar: string): SchemaValidationError {
  const text = errors.map((error) => `${dataVar}${error.instancePath ?? ''} ${error.message}`).join(', ');
  return Object.assign(new Error(text), { validation: [...errors], validationContext: dataVar });
}
