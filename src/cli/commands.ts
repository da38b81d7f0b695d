import { auditListCommand } from './audit-list-command.ts';
import { auditSignersCommand } from './audit-signers-command.ts';
import { authServersIssuerCommand } from './auth-servers-issuer-command.ts';
import { clientsCreateCommand } from './clients-create-command.ts';
import { clientsDeleteCommand } from './clients-delete-command.ts';
import { clientsListCommand } from './clients-list-command.ts';
import type { Command } from './command.ts';
import { keySetsCreateCommand } from './key-sets-create-command.ts';
import { keySetsListCommand } from './key-sets-list-command.ts';
import { keySetsPolicyCommand } from './key-sets-policy-command.ts';
import { keysEmergencyRotateCommand } from './keys-emergency-rotate-command.ts';
import { keysImportCommand } from './keys-import-command.ts';
import { keysListCommand } from './keys-list-command.ts';
import { keysRevokeCommand } from './keys-revoke-command.ts';
import { keysRotateCommand } from './keys-rotate-command.ts';
import { simulateCommand } from './simulate-command.ts';
import { signCommand } from './sign-command.ts';
import { tenantsCreateCommand } from './tenants-create-command.ts';
import { tenantsListCommand } from './tenants-list-command.ts';
import { tokensCreateCommand } from './tokens-create-command.ts';
import { tokensDeleteCommand } from './tokens-delete-command.ts';
import { tokensListCommand } from './tokens-list-command.ts';
import { webhooksListCommand } from './webhooks-list-command.ts';
import { webhooksCreateCommand } from './webhooks-create-command.ts';
import { webhooksGetCommand } from './webhooks-get-command.ts';
import { webhooksUpdateCommand } from './webhooks-update-command.ts';
import { webhooksDeleteCommand } from './webhooks-delete-command.ts';
import { webhooksDeliveriesCommand } from './webhooks-deliveries-command.ts';
import { webhooksRedeliverCommand } from './webhooks-redeliver-command.ts';

/**
 * Every management command by noun and verb (`serve` is dispatched separately: it is not an API
 * client); a noun whose only verb is `''` is a command of one word (`signet simulate`).
 */
export const COMMANDS: Readonly<Record<string, Readonly<Record<string, Command>>>> = {
  keys: {
    list: keysListCommand,
    rotate: keysRotateCommand,
    revoke: keysRevokeCommand,
    import: keysImportCommand,
    'emergency-rotate': keysEmergencyRotateCommand,
  },
  'auth-servers': { issuer: authServersIssuerCommand },
  'key-sets': { list: keySetsListCommand, create: keySetsCreateCommand, policy: keySetsPolicyCommand },
  tenants: { list: tenantsListCommand, create: tenantsCreateCommand },
  clients: { list: clientsListCommand, create: clientsCreateCommand, delete: clientsDeleteCommand },
  tokens: { list: tokensListCommand, create: tokensCreateCommand, delete: tokensDeleteCommand },
  audit: { list: auditListCommand, signers: auditSignersCommand },
  webhooks: {
    list: webhooksListCommand,
    create: webhooksCreateCommand,
    get: webhooksGetCommand,
    update: webhooksUpdateCommand,
    delete: webhooksDeleteCommand,
    deliveries: webhooksDeliveriesCommand,
    redeliver: webhooksRedeliverCommand,
  },
  // A one-word command: its verb is empty.
  simulate: { '': simulateCommand },
  sign: { '': signCommand },
};
