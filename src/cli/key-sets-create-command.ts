import type { LifecycleResponse } from '../http/native/resource-types.ts';
import { UsageError } from './cli-errors.ts';
import type { Command } from './command.ts';
import { formatLifecycle } from './format-lifecycle.ts';

/** `signet key-sets create`: a key set (one active and one next key) for an authorization server. */
export const keySetsCreateCommand: Command = {
  usage: '--auth-server ID --alg ALG [--custody sealed|pkcs11] [--rsa-modulus-length BITS]',
  summary: 'create a key set for an authorization server; --custody pkcs11 keeps its keys on the PKCS#11 token',
  options: {
    'auth-server': { type: 'string' },
    alg: { type: 'string' },
    custody: { type: 'string' },
    'rsa-modulus-length': { type: 'string' },
  },
  async run(context) {
    const ownerId = context.flag('auth-server');
    const alg = context.flag('alg');
    if (ownerId === undefined || alg === undefined) throw new UsageError('--auth-server and --alg are required');
    const custody = context.flag('custody');
    const modulus = context.flag('rsa-modulus-length');
    // The server validates every value (algorithm, custody, modulus) and says which field is wrong.
    const result = await context.api.request<LifecycleResponse>('POST', '/key-sets', {
      body: {
        ownerType: 'authorizationServer',
        ownerId,
        alg,
        ...(custody !== undefined ? { custody } : {}),
        ...(modulus !== undefined ? { rsaModulusLength: Number(modulus) } : {}),
      },
    });
    return { data: result, text: `key set ${result.keySet.id} (${result.keySet.custody})\n${formatLifecycle(result)}` };
  },
};
