import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

test("the README's layout section names every folder of src/", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const layout = /^## Layout\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  assert.ok(layout, 'README.md has a "## Layout" section');
  const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  assert.ok(folders.length > 5, 'src/ was read');
  assert.deepEqual(
    folders.filter((name) => !new RegExp(`\`src/${name}/?\``).test(layout)),
    [],
    'folders of src/ the layout does not name',
  );
  // How Signet runs and how the tree is kept tidy, which a newcomer needs first.
  assert.match(layout, /Node 24/);
  assert.match(layout, /npm run lint/);
  assert.match(layout, /npm run format/);
});
