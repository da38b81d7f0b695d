import { ALGORITHM_SCHEMA } from './schemas.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;

/**
 * The body of `POST /authorization-servers/{id}/sign`. Only `typ` of the JOSE header is the
 * caller's: any other member (a `header` object, `kid`, ...) is an unknown property and refused.
 */
export const SIGN_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['claims'],
  properties: {
    claims: {
      type: 'object',
      description:
        "the JWT claims set; iss is the server's issuer (a different one is refused), iat defaults to now, exp to now + expiresIn",
    },
    expiresIn: {
      type: 'integer',
      minimum: 1,
      maximum: 31_536_000,
      description: "lifetime in seconds when claims.exp is absent; default the server's accessTokenLifetimeSeconds",
    },
    typ: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+/-]{0,63}$',
      description: 'the JOSE typ header (JWT, at+jwt, logout+jwt, secevent+jwt ...); default JWT',
    },
    alg: { ...ALGORITHM_SCHEMA, description: "which of the server's key sets signs; default its signing key set" },
  },
} as const;

/** The 200 answer: the compact JWS and the guarantee that comes with it. */
export const SIGN_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['jwt', 'kid', 'alg', 'issuedAt', 'expiresAt', 'verifiableUntil'],
  properties: {
    jwt: { type: 'string', description: 'compact JWS; its header carries alg, kid and typ only' },
    kid: { type: 'string' },
    alg: ALGORITHM_SCHEMA,
    issuedAt: dateTime,
    expiresAt: dateTime,
    verifiableUntil: {
      ...dateTime,
      description:
        'the signing key stays in the JWKS at least until then (never before expiresAt + clockSkewSeconds), through any rotation, policy change or restart; only revoking this key ends it early',
    },
  },
} as const;
