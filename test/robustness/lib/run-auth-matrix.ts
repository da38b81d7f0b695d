import type { KeyObject } from 'node:crypto';
import type { Ledger } from './create-ledger.ts';
import { forgeTokens, type ForgedTokens } from './forge-tokens.ts';
import type { RouteEntry } from './list-routes.ts';
import { sendRaw } from './send-raw.ts';
import type { SoakTarget } from './start-soak-target.ts';

/** The credentials every management route is tried with; all but the controls must be refused. */
export const MATRIX_CREDENTIALS = [
  'none',
  'bad',
  'expired-jwt',
  'other-audience-jwt',
  'alg-none-jwt',
  'hs256-public-key-jwt',
  'other-tenant-token',
  'other-tenant-jwt',
  'insufficient-scope',
] as const;
export type MatrixCredential = (typeof MATRIX_CREDENTIALS)[number];

/** The figures of the matrix: per credential, requests and the ones that succeeded (status < 400). */
export interface AuthMatrixResult {
  routes: number;
  cells: number;
  requests: number;
  byCredential: Record<MatrixCredential, { requests: number; successes: number }>;
  unauthorisedSuccesses: number;
  /**
   * On every read route: a correctly re-signed JWT and the admin API token. They must succeed equally
   * often, and not never, or the forged tokens differ from a real one in more than their one fault.
   */
  controlSuccesses: { resignedJwt: number; adminToken: number; requests: number };
  examples: string[];
}

/** What the matrix needs from the set-up: real ids for paths, and the credentials it cannot mint itself. */
export interface MatrixInputs {
  params: Record<string, string[]>;
  adminAuthorization: string;
  otherTenantToken: string;
  /** A management JWT of another tenant (for its own management audience). */
  otherTenantJwt: string;
  /** An API token holding only `audit:read`, and one holding only `keys:read` (for the audit route). */
  auditOnlyToken: string;
  keysOnlyToken: string;
  /** Issues a real access token of the default server for `audience`. */
  issueToken(audience: string): Promise<string>;
  /** The default server's active private key. */
  signingKey: KeyObject;
}

/** Which management audience (and thus which forged tokens) a route belongs to; null for public routes. */
export function managementAudienceOf(path: string, baseUrl: string): string | null {
  if (path.startsWith('/signet/v1/') && path !== '/signet/v1/openapi.json') return 'urn:signet:management';
  if (path.startsWith('/api/v2/')) return `${baseUrl}/api/v2/`;
  if (path.startsWith('/api/v1/')) return baseUrl;
  if (path.startsWith('/oidc/2/signing_keys')) return `${baseUrl}/api/2`;
  return null;
}

/**
 * Sends every management route (every method it answers but HEAD) once with each credential of
 * MATRIX_CREDENTIALS, then with the controls. Paths use real ids, so a refusal is never a 404 in
 * disguise.
 */
export async function runAuthMatrix(
  target: SoakTarget,
  routes: readonly RouteEntry[],
  inputs: MatrixInputs,
  ledger: Ledger,
): Promise<AuthMatrixResult> {
  const management = routes.filter((route) => managementAudienceOf(route.path, target.url) !== null);
  const forged = new Map<string, ForgedTokens>();
  const resourceToken = await inputs.issueToken('api://default');
  for (const route of management) {
    const audience = managementAudienceOf(route.path, target.url)!;
    if (!forged.has(audience))
      forged.set(audience, await forgeTokens(await inputs.issueToken(audience), resourceToken, inputs.signingKey));
  }
  const result: AuthMatrixResult = {
    routes: management.length,
    cells: 0,
    requests: 0,
    byCredential: Object.fromEntries(
      MATRIX_CREDENTIALS.map((c) => [c, { requests: 0, successes: 0 }]),
    ) as AuthMatrixResult['byCredential'],
    unauthorisedSuccesses: 0,
    controlSuccesses: { resignedJwt: 0, adminToken: 0, requests: 0 },
    examples: [],
  };
  const cells = management.flatMap((route) =>
    route.methods.filter((method) => method !== 'HEAD').map((method) => ({ route, method })),
  );
  result.cells = cells.length;

  const send = async (path: string, method: string, authorization: string | null): Promise<number> => {
    const headers: [string, string][] = authorization ? [['authorization', authorization]] : [];
    const hasBody = method !== 'GET' && method !== 'DELETE';
    if (hasBody) headers.push(['content-type', 'application/json']);
    const answer = await sendRaw(target.port, {
      method,
      target: path,
      headers,
      ...(hasBody ? { body: Buffer.from('{}') } : {}),
    });
    result.requests += 1;
    ledger.record(answer.status, answer.headers, answer.body.toString('utf8'));
    return answer.status;
  };

  for (const { route, method } of cells) {
    const path = fill(route.path, inputs.params);
    const tokens = forged.get(managementAudienceOf(route.path, target.url)!)!;
    const credentials: Record<MatrixCredential, string | null> = {
      none: null,
      bad: `Bearer sgt_${'0'.repeat(43)}`,
      'expired-jwt': `Bearer ${tokens.expired}`,
      'other-audience-jwt': `Bearer ${tokens.otherAudience}`,
      'alg-none-jwt': `Bearer ${tokens.algNone}`,
      'hs256-public-key-jwt': `Bearer ${tokens.hs256WithPublicKey}`,
      'other-tenant-token': `Bearer ${inputs.otherTenantToken}`,
      'other-tenant-jwt': `Bearer ${inputs.otherTenantJwt}`,
      'insufficient-scope': `Bearer ${needsAuditRead(route.path) ? inputs.keysOnlyToken : inputs.auditOnlyToken}`,
    };
    for (const credential of MATRIX_CREDENTIALS) {
      const status = await send(path, method, credentials[credential]);
      result.byCredential[credential].requests += 1;
      if (status < 400) {
        result.byCredential[credential].successes += 1;
        result.unauthorisedSuccesses += 1;
        result.examples.push(`${credential}: ${method} ${path} -> ${status}`);
      }
    }
  }
  // Controls on the read routes (a control on a write route would rotate or revoke the very key the
  // forged tokens are signed with): each must succeed wherever the admin token does.
  for (const { route, method } of cells.filter((cell) => cell.method === 'GET')) {
    const path = fill(route.path, inputs.params);
    const tokens = forged.get(managementAudienceOf(route.path, target.url)!)!;
    result.controlSuccesses.requests += 1;
    if ((await send(path, method, `Bearer ${tokens.control}`)) < 400) result.controlSuccesses.resignedJwt += 1;
    if ((await send(path, method, inputs.adminAuthorization)) < 400) result.controlSuccesses.adminToken += 1;
  }
  return result;
}

function fill(template: string, params: Record<string, string[]>): string {
  return template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]?.[0] ?? 'unknown'));
}

/** The management routes whose scope is `audit:read` (the audit log and who signed with a key): an audit-only token is their right credential. */
function needsAuditRead(path: string): boolean {
  return path.startsWith('/signet/v1/audit') || path.endsWith('/signers');
}
