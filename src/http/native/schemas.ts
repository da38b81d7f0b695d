import { ALL_SCOPES } from '../../domain/types.ts';

/** JSON Schemas of the native API: they validate requests, serialise responses and feed the OpenAPI document. */

export const nullableString = { type: ['string', 'null'] } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

/** Where a key set keeps its private keys (docs/spec.md §7). */
export const CUSTODY_SCHEMA = {
  type: 'string',
  enum: ['sealed', 'pkcs11'],
  description: 'sealed: AES-256-GCM under the master key in the database; pkcs11: non-extractable on the PKCS#11 token',
} as const;

export const ALGORITHM_SCHEMA = {
  type: 'string',
  enum: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
} as const;
export const KEY_STATE_SCHEMA = { type: 'string', enum: ['next', 'active', 'draining', 'retired', 'revoked'] } as const;

/** A PEM private key (PKCS#8, PKCS#1 or SEC1) or a private JWK. */
export const PRIVATE_KEY_SCHEMA = { anyOf: [{ type: 'string', maxLength: 16384 }, { type: 'object' }] } as const;

export const POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: { type: 'string', enum: ['AUTO', 'MANUAL'] },
    rotationPeriodSeconds: { type: 'integer' },
    jwksMaxAgeSeconds: { type: 'integer' },
    clockSkewSeconds: { type: 'integer' },
    maxTokenLifetimeSeconds: { type: 'integer' },
    drainingPeriodSeconds: { type: 'integer' },
    certificateValiditySeconds: { type: 'integer' },
    certificateRenewBeforeSeconds: { type: 'integer' },
    readinessWindowSeconds: { type: 'integer' },
    readinessGatePercent: { type: 'integer' },
    readinessGateMaxWaitSeconds: { type: 'integer' },
  },
} as const;

export const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
        requestId: { type: 'string' },
      },
    },
  },
} as const;

export const TRANSITION_SCHEMA = {
  type: 'object',
  properties: {
    at: dateTime,
    action: { type: 'string', enum: ['rotate', 'retire', 'renewCertificate', 'generateNext', 'certificateExpires'] },
    kid: nullableString,
  },
} as const;

const nullableInteger = { type: ['integer', 'null'] } as const;

/** A key set's verifier readiness (docs/spec.md §7, rollout safety). */
export const READINESS_SCHEMA = {
  type: 'object',
  properties: {
    keySetId: { type: 'string' },
    nextKid: nullableString,
    nextPublishedAt: nullableDateTime,
    windowSeconds: { type: 'integer' },
    consumerCount: { type: 'integer' },
    readyCount: { type: 'integer' },
    gate: {
      type: 'object',
      description: 'the readiness gate as a native rotate without force finds it now; lagging: it would be refused',
      properties: {
        open: { type: 'boolean' },
        reason: { type: 'string', enum: ['disabled', 'ready', 'maxWait', 'lagging'] },
        requiredPercent: { type: 'integer', description: "the policy's readinessGatePercent (0: no gate)" },
      },
    },
    consumers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: nullableString,
          address: { type: 'string' },
          userAgent: { type: 'string' },
          firstSeenAt: dateTime,
          lastFetchAt: dateTime,
          ready: { type: 'boolean' },
          laggingSince: nullableDateTime,
          observedIntervalSeconds: nullableInteger,
          fetchCount: { type: 'integer' },
        },
      },
    },
  },
} as const;

export const KEY_SCHEMA = {
  type: 'object',
  properties: {
    kid: { type: 'string' },
    keySetId: { type: 'string' },
    alg: ALGORITHM_SCHEMA,
    state: KEY_STATE_SCHEMA,
    origin: { type: 'string', enum: ['generated', 'imported'] },
    publicJwk: {
      type: 'object',
      properties: {
        kty: { type: 'string' },
        n: { type: 'string' },
        e: { type: 'string' },
        crv: { type: 'string' },
        x: { type: 'string' },
        y: { type: 'string' },
        kid: { type: 'string' },
        alg: { type: 'string' },
        use: { type: 'string' },
      },
    },
    certificate: {
      type: 'object',
      properties: {
        x5c: { type: 'array', items: { type: 'string' } },
        x5t: { type: 'string' },
        x5tS256: { type: 'string' },
        notBefore: dateTime,
        notAfter: dateTime,
        issuer: { type: 'string', enum: ['signet', 'external'] },
      },
    },
    createdAt: dateTime,
    publishedAt: dateTime,
    activatedAt: nullableDateTime,
    drainingSince: nullableDateTime,
    retireAt: nullableDateTime,
    retiredAt: nullableDateTime,
    revokedAt: nullableDateTime,
  },
} as const;

export const KEY_SET_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    tenantId: { type: 'string' },
    ownerType: { type: 'string', enum: ['authorizationServer', 'identityProvider'] },
    ownerId: { type: 'string' },
    alg: ALGORITHM_SCHEMA,
    rsaModulusLength: { type: ['integer', 'null'] },
    custody: CUSTODY_SCHEMA,
    policy: { ...POLICY_SCHEMA, additionalProperties: undefined },
    activeKid: nullableString,
    nextKid: nullableString,
    rotationSafeAt: {
      ...nullableDateTime,
      description:
        'from this time a rotation without force is safe: the next key is in every cached JWKS; null with no next key',
    },
    nextTransition: { ...TRANSITION_SCHEMA, type: ['object', 'null'] },
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

export const LIFECYCLE_RESULT_SCHEMA = {
  type: 'object',
  properties: {
    keySet: KEY_SET_SCHEMA,
    keys: { type: 'array', items: KEY_SCHEMA },
    changed: { type: 'array', items: KEY_SCHEMA },
    // A type list, not `anyOf`: fast-json-stringify serialises an `anyOf` by running an Ajv
    // validator per response, compiled on the route's first response (~100 ms, the slowest rotation).
    created: { ...KEY_SCHEMA, type: ['object', 'null'] },
  },
} as const;

export const TENANT_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    displayName: { type: 'string' },
    hostNames: { type: 'array', items: { type: 'string' } },
    createdAt: dateTime,
  },
} as const;

export const AUTHORIZATION_SERVER_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    tenantId: { type: 'string' },
    name: { type: 'string' },
    audiences: { type: 'array', items: { type: 'string' } },
    accessTokenLifetimeSeconds: { type: 'integer' },
    signingKeySetId: nullableString,
    externalIssuer: { ...nullableString, description: "issuer its tokens and discovery carry instead of Signet's own" },
    createdAt: dateTime,
  },
} as const;

export const SCOPES_SCHEMA = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 128 },
  maxItems: 64,
} as const;
/** The request field restricting a new credential's signing to some authorization servers. */
export const AUTHORIZATION_SERVER_IDS_SCHEMA = {
  type: ['array', 'null'],
  items: { type: 'string', minLength: 1, maxLength: 63 },
  minItems: 1,
  maxItems: 64,
  description: 'authorization servers this credential may sign for (tokens:sign); absent or null for every one',
} as const;
export const MANAGEMENT_SCOPES_DESCRIPTION = `Signet scopes: ${ALL_SCOPES.join(', ')}; vendor scopes (read:signing_keys, okta.*, manage_all) grant the Signet scopes they stand for (docs/compatibility.md); any other RFC 6749 scope-token is passed through into access tokens.`;

/** A credential's signing restriction, the same member on clients and API tokens. */
const SIGNING_RESTRICTION_SCHEMA = {
  type: ['array', 'null'],
  items: { type: 'string' },
  description: 'authorization servers it may sign for with tokens:sign; null for every one',
} as const;

export const CLIENT_SCHEMA = {
  type: 'object',
  properties: {
    clientId: { type: 'string' },
    tenantId: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    authorizationServerIds: SIGNING_RESTRICTION_SCHEMA,
    createdAt: dateTime,
  },
} as const;

export const API_TOKEN_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    tenantId: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    authorizationServerIds: SIGNING_RESTRICTION_SCHEMA,
    createdAt: dateTime,
  },
} as const;

export const AUDIT_EVENT_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: dateTime,
    actor: {
      type: 'object',
      properties: { type: { type: 'string' }, id: { type: 'string' }, tenantId: nullableString },
    },
    action: { type: 'string' },
    keySetId: nullableString,
    kid: nullableString,
    fromState: nullableString,
    toState: nullableString,
    operation: nullableString,
    sourceIp: nullableString,
    requestId: nullableString,
    details: { type: 'object', additionalProperties: true },
  },
} as const;

/** Standard error responses of an authenticated native route. */
export const ERROR_RESPONSES = {
  '4xx': ERROR_SCHEMA,
  '5xx': ERROR_SCHEMA,
} as const;

export const IDENTITY_PROVIDER_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    tenantId: { type: 'string' },
    type: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: ['ACTIVE', 'INACTIVE'] },
    protocolType: { type: 'string' },
    settings: { type: 'object', additionalProperties: true },
    trustKid: nullableString,
    signingKeySetId: nullableString,
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;
