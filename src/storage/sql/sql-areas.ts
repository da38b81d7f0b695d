import { auditSql } from './audit-sql.ts';
import { authorizationServerSql } from './authorization-server-sql.ts';
import { clientSql } from './client-sql.ts';
import type { SqlContext } from './create-sql-context.ts';
import { identityProviderSql } from './identity-provider-sql.ts';
import { idpCsrSql } from './idp-csr-sql.ts';
import { keySetSql } from './key-set-sql.ts';
import { keySql } from './key-sql.ts';
import { keyStoreSql } from './key-store-sql.ts';
import { metaSql } from './meta-sql.ts';
import { sealedSecretSql } from './sealed-secret-sql.ts';
import { tenantSql } from './tenant-sql.ts';
import { webhookSql } from './webhook-sql.ts';

/** Every area of the schema over one context, each with its reads and writes; a new table adds one here. */
export function sqlAreas(context: SqlContext) {
  return [
    tenantSql(context),
    authorizationServerSql(context),
    keySetSql(context),
    keySql(context),
    clientSql(context),
    auditSql(context),
    identityProviderSql(context),
    keyStoreSql(context),
    idpCsrSql(context),
    sealedSecretSql(context),
    metaSql(context),
    webhookSql(context),
  ];
}
