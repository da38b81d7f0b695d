/**
 * External issuers and signing restrictions: the PostgreSQL transcription of SQLite's migration of
 * the same id (NULL external issuer = Signet's own; NULL server list = every server).
 */
export const id = '2026-12-02-signing-api';

export const sql = `
ALTER TABLE authorization_servers ADD COLUMN external_issuer TEXT;
ALTER TABLE api_clients ADD COLUMN authorization_server_ids TEXT;
ALTER TABLE api_tokens ADD COLUMN authorization_server_ids TEXT;
`;
