import type { Migration } from '../migration.ts';
import * as initial from './migrations/2026-11-21-initial.ts';
import * as certificateIssuer from './migrations/2026-11-22-certificate-issuer.ts';
import * as identityProviders from './migrations/2026-11-22-identity-providers.ts';
import * as keyCustody from './migrations/2026-12-02-key-custody.ts';
import * as webhooks from './migrations/2026-12-02-webhooks.ts';
import * as signingApi from './migrations/2026-12-02-signing-api.ts';

/** Every migration; the runner applies them in id order, whatever their order here. Never edit an applied one. */
export const sqliteMigrations: readonly Migration[] = [
  initial,
  identityProviders,
  certificateIssuer,
  keyCustody,
  webhooks,
  signingApi,
];
