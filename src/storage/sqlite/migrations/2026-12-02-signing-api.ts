/**
 * The signing API (issue 11): an authorization server may name an external issuer (its tokens and
 * discovery carry it; NULL = Signet's own issuer URL), and an API client or API token may be
 * restricted to some authorization servers when it signs (a JSON array of ids; NULL = all of them).
 */
export const id = '2026-12-02-signing-api';

export const sql = `
ALTER TABLE authorization_servers ADD COLUMN external_issuer TEXT;
ALTER TABLE api_clients ADD COLUMN authorization_server_ids TEXT;
ALTER TABLE api_tokens ADD COLUMN authorization_server_ids TEXT;
`;
