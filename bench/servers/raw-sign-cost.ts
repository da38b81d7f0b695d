// The raw cost of one signature: `crypto.sign` with a cached KeyObject over a token-sized input, in
// CPU microseconds per signature of this process. `node raw-sign-cost.ts <alg> <seconds>`.
import { generateKeyPairSync, sign } from 'node:crypto';

const alg = process.argv[2] ?? 'RS256';
const seconds = Number(process.argv[3] ?? '1');
const pair =
  alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
const hash = alg === 'EdDSA' ? null : 'sha256';
// About the size of a Signet access token's signing input.
const input = Buffer.from('x'.repeat(420));
for (let i = 0; i < 200; i += 1) sign(hash, input, pair.privateKey);
const before = process.cpuUsage();
const started = performance.now();
let count = 0;
while (performance.now() - started < seconds * 1000) {
  for (let i = 0; i < 50; i += 1) sign(hash, input, pair.privateKey);
  count += 50;
}
const used = process.cpuUsage(before);
process.stdout.write(
  `${JSON.stringify({ alg, signatures: count, cpuUsPerSignature: (used.user + used.system) / count })}\n`,
);
