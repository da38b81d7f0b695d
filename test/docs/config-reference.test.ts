import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderConfigReference } from '../../scripts/render-config-reference.ts';

test('docs/configuration.md is generated from src/domain/default-rotation-policy.ts and src/config/defaults.ts and up to date (run npm run docs:config)', () => {
  const committed = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
  const rendered = renderConfigReference();
  assert.equal(committed, rendered);
  for (const option of ['rotationPeriodSeconds', 'jwksMaxAgeSeconds', 'port', 'dataDir', 'credentialsFileName']) {
    assert.match(rendered, new RegExp(`\\| \`${option}\` \\|`));
  }
});
