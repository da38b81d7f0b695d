import { loadServeConfig } from './src/config/load-config.ts';
import { startServer } from './src/server/start-server.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
const config = loadServeConfig(['--data-dir', process.argv[2]!, '--port', '0', '--log-level', 'warn'], {
  ...process.env,
  SIGNET_MASTER_KEY: readFileSync('/tmp/perfb/mk', 'utf8').trim(),
  NODE_ENV: 'production',
});
await startServer(config, () => {});
const f = (x: number) => (x / 1048576).toFixed(1);
let low = Infinity;
for (let i = 0; i < 6; i++) {
  await sleep(1000);
  low = Math.min(low, process.memoryUsage().rss);
}
const m = process.memoryUsage();
console.log(`low rss ${f(low)} heapUsed ${f(m.heapUsed)} heapTotal ${f(m.heapTotal)} ext ${f(m.external)}`);
process.exit(0);
