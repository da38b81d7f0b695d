import { ApiError } from './api.js';

/**
 * @typedef {object} Session
 * @property {'apiToken' | 'client'} kind
 * @property {string} token the Bearer token: the API token itself, or an access token of the client
 * @property {string} label what the header shows (a token prefix, or the client id)
 * @property {number | null} expiresAt epoch ms when an access token expires
 */

/** The management audience a client's access token must be issued for. */
export const MANAGEMENT_AUDIENCE = 'urn:signet:management';

/**
 * The signed-in credential of one tenant, kept in sessionStorage: it lives as long as the tab, is
 * never shared with other tabs or written to disk like localStorage, and a client secret is never
 * kept at all (only the access token it was exchanged for).
 * @param {string} tenantId
 */
export function createSessionStore(tenantId) {
  const storageKey = `signet.session.${tenantId}`;
  return {
    /** @returns {Session | null} the stored session, unless its access token has expired */
    load() {
      try {
        const session = /** @type {Session | null} */ (JSON.parse(sessionStorage.getItem(storageKey) ?? 'null'));
        if (!session || typeof session.token !== 'string') return null;
        if (session.expiresAt !== null && session.expiresAt <= Date.now()) {
          sessionStorage.removeItem(storageKey);
          return null;
        }
        return session;
      } catch {
        return null;
      }
    },
    /** @param {Session} session */
    save(session) {
      sessionStorage.setItem(storageKey, JSON.stringify(session));
    },
    clear() {
      sessionStorage.removeItem(storageKey);
    },
  };
}

/**
 * Exchanges a client id and secret at the tenant's token endpoint (client_secret_post) for an
 * access token for the management API.
 * @param {string} tokenEndpoint
 * @param {string} clientId
 * @param {string} clientSecret
 * @returns {Promise<Session>}
 */
export async function signInWithClient(tokenEndpoint, clientId, clientSecret) {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    audience: MANAGEMENT_AUDIENCE,
  });
  let response;
  try {
    response = await fetch(tokenEndpoint, {
      method: 'POST',
      body,
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'ERR_NETWORK', 'Signet could not be reached. Check that the server is running.', {}, null);
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok || typeof payload?.access_token !== 'string') {
    const message =
      payload?.error === 'invalid_client'
        ? 'The client ID or secret is not correct.'
        : String(payload?.error_description ?? 'The token endpoint refused the request.');
    throw new ApiError(response.status, String(payload?.error ?? 'token_error'), message, {}, null);
  }
  const expiresIn = Number(payload.expires_in);
  return {
    kind: 'client',
    token: payload.access_token,
    label: clientId,
    expiresAt: Number.isFinite(expiresIn) ? Date.now() + expiresIn * 1000 : null,
  };
}

/**
 * A session for an API token; whether it is valid is learnt from the first API call.
 * @param {string} token
 * @returns {Session}
 */
export function apiTokenSession(token) {
  return { kind: 'apiToken', token, label: `${token.slice(0, 8)}…`, expiresAt: null };
}
