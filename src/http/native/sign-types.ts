import type { FromSchema } from './from-schema.ts';
import type { SIGN_BODY_SCHEMA, SIGN_RESPONSE_SCHEMA } from './sign-schemas.ts';

// The signing API's shapes, taken from the route's own schemas (src/http/native/sign-schemas.ts):
// the route validates and serialises with them, the OpenAPI document shows them, and `signet/client`
// is typed with them. This module and the schemas import nothing beyond domain types, so the
// client's compiled declarations (dist/, see tsconfig.client.json) stay small and self-contained.

/** The signing API's request body: `{ claims, expiresIn?, typ?, alg? }`. */
export type SignRequestBody = FromSchema<typeof SIGN_BODY_SCHEMA>;

/** The signing API's 200 response (`signet/client` returns it as is). */
export type SignatureResource = FromSchema<typeof SIGN_RESPONSE_SCHEMA>;
