import { setTimeout as sleep } from 'node:timers/promises';
import { createTestContext } from './test/helpers/create-test-context.ts';
import { createCertificate } from './src/crypto/create-certificate.ts';
import { generateKeyPair } from './src/crypto/generate-key-pair.ts';
import { certificateTimes } from './src/crypto/certificate-times.ts';
const ctx = await createTestContext({ startAt: Date.now() });
const context = { actor: { type: 'system' as const, id: 't', tenantId: null }, requestId: null, sourceIp: null };
const created = await ctx.services.keys.createKeySet(context, 'default', { ownerType: 'authorizationServer', ownerId: 'default', alg: 'RS256', rsaModulusLength: 4096, policy: {} } as never).catch((e) => { console.log(e.message); return null; });
const ks = created!.keySet.id;
const pair = await generateKeyPair('RS256', 4096);
for (let i = 0; i < 5; i++) { const t = performance.now(); await createCertificate({ keyPair: pair, alg: 'RS256', commonName: 'x', ...certificateTimes(Date.now(), 86400 * 365) }); console.log('cert', (performance.now() - t).toFixed(1)); }
await sleep(4000);
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  await ctx.services.keys.rotate(context, 'default', ks, 'force');
  console.log('rotate', (performance.now() - t).toFixed(1));
  await sleep(3000);
}
await ctx.close();
