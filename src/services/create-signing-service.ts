import { buildClaimsSet } from '../domain/build-claims-set.ts';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { Principal } from './authorize.ts';
import { resolveSigner } from './resolve-signer.ts';
import type { SignatureLedger } from './signature-ledger.ts';

export interface SignInput {
  tenantId: string;
  authorizationServerId: string;
  /** The issuer as addressed by the request; an external issuer of the server takes its place. */
  issuer: string;
  claims: unknown;
  expiresIn?: number | undefined;
  typ?: string | undefined;
  alg?: Algorithm | undefined;
  /** Audiences no signed token may carry (Signet's own management audiences). */
  reservedAudiences?: readonly string[];
}

/** A signature made for a caller; times in milliseconds. */
export interface SignResult {
  jwt: string;
  kid: string;
  alg: Algorithm;
  issuedAt: number;
  expiresAt: number;
  verifiableUntil: number;
}

export type SigningService = ReturnType<typeof createSigningService>;

/**
 * The signing API (docs/spec.md §7): signs a caller's claims with an authorization server's active
 * key, from memory only (no database read, no row written), and counts the signature in the ledger.
 */
export function createSigningService({
  registry,
  now,
  ledger,
  onSigned,
}: {
  registry: Registry;
  now: () => number;
  ledger: SignatureLedger;
  onSigned?: (kid: string) => void;
}) {
  return {
    /**
     * Signs `input.claims` for an authenticated principal allowed to sign for the server; settles
     * when the signature is computed (for RSA on the thread pool, as for the token endpoint).
     */
    async sign(principal: Principal, surface: string, input: SignInput): Promise<SignResult> {
      const prepared = prepare(principal, input, input.claims);
      return finish(
        principal,
        surface,
        input,
        prepared,
        await prepared.signer.sign(prepared.claimsSet.payload, input.typ ?? 'JWT'),
      );
    },

    /**
     * Signs a claims set given as its encoded JWT segment (base64url JSON), byte for byte as given,
     * for surfaces whose caller assembles the token itself (Kubernetes' ExternalJWTSigner). The same
     * rules apply as to `sign`, except that nothing is added: `exp` must be present.
     */
    async signEncoded(
      principal: Principal,
      surface: string,
      input: Omit<SignInput, 'claims' | 'expiresIn' | 'alg'> & { encodedClaims: string },
    ): Promise<SignResult> {
      const claims = decodeClaims(input.encodedClaims);
      if (claims.exp === undefined)
        throw new SignetError('ERR_VALIDATION', 'claims.exp is required', { fields: ['claims.exp'] });
      const prepared = prepare(principal, input, claims);
      return finish(
        principal,
        surface,
        input,
        prepared,
        await prepared.signer.sign(input.encodedClaims, input.typ ?? 'JWT'),
      );
    },
  };

  function prepare(principal: Principal, input: Omit<SignInput, 'claims'>, claims: unknown) {
    const allowed = principal.authorizationServerIds;
    if (allowed && !allowed.includes(input.authorizationServerId)) {
      throw new SignetError(
        'ERR_FORBIDDEN',
        `this credential may not sign for authorization server ${input.authorizationServerId}`,
        { reason: 'authorizationServerNotAllowed', authorizationServerId: input.authorizationServerId },
      );
    }
    const at = now();
    const { server, view, signer } = resolveSigner(registry, input, at);
    const activeKey = view.keys.find((key) => key.kid === signer.kid);
    if (!activeKey) throw new SignetError('ERR_KEY_SET_NOT_INITIALISED', 'the active key is not published');
    const claimsSet = buildClaimsSet({
      claims,
      expiresInSeconds: input.expiresIn ?? server.accessTokenLifetimeSeconds,
      issuer: server.externalIssuer ?? input.issuer,
      policy: view.keySet.policy,
      key: activeKey,
      reservedAudiences: input.reservedAudiences ?? [],
      now: at,
    });
    return { at, view, signer, claimsSet };
  }

  function finish(
    principal: Principal,
    surface: string,
    input: { tenantId: string },
    { at, view, signer, claimsSet }: ReturnType<typeof prepare>,
    jwt: string,
  ): SignResult {
    ledger.record({
      tenantId: input.tenantId,
      keySetId: view.keySet.id,
      kid: signer.kid,
      credentialId: principal.actor.id,
      surface,
      at,
    });
    onSigned?.(signer.kid);
    return {
      jwt,
      kid: signer.kid,
      alg: signer.alg,
      issuedAt: claimsSet.issuedAt * 1000,
      expiresAt: claimsSet.expiresAt * 1000,
      verifiableUntil: claimsSet.verifiableUntil,
    };
  }
}

/** Parses a base64url JWT payload segment; anything but a JSON object is refused. */
function decodeClaims(encoded: string): Record<string, unknown> {
  let claims: unknown;
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new Error('not base64url');
    claims = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new SignetError('ERR_VALIDATION', 'claims must be a base64url-encoded JSON object', { fields: ['claims'] });
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    throw new SignetError('ERR_VALIDATION', 'claims must be a JSON object', { fields: ['claims'] });
  return claims as Record<string, unknown>;
}
