// `npm run build` and `prepare` (npm install in a clone, git and tarball installs, npm pack): compiles
// `signet/client` to dist/ (tsconfig.client.json) so that it runs from node_modules, where Node does
// not strip types. Plain JavaScript: an install without devDependencies (`--omit=dev`) runs it on any
// Node, without the TypeScript compiler, and then skips the build (the clone runs from src/ anyway).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  process.stderr.write(
    'signet: typescript is not installed (devDependencies omitted); dist/ (signet/client) not built\n',
  );
  process.exit(0);
}
// A module that left the client's import graph must not linger in dist/.
rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.client.json')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
