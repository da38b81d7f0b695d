import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsVendorScope, signetScopesOf } from './scope-catalog.ts';

test('a vendor scope carries the Signet scopes it stands for', () => {
  assert.ok(signetScopesOf(['read:signing_keys']).has('keys:read'));
  assert.ok(!signetScopesOf(['read:signing_keys']).has('keys:write'));
  assert.ok(signetScopesOf(['manage_all']).has('keys:write'));
  assert.ok(signetScopesOf(['okta.idps.manage']).has('identity-providers:write'));
});

test('a vendor scope is held directly or through every Signet scope it stands for', () => {
  assert.ok(holdsVendorScope(new Set(['read:signing_keys']), 'read:signing_keys'));
  assert.ok(holdsVendorScope(new Set(['keys:read']), 'read:signing_keys'));
  assert.ok(!holdsVendorScope(new Set(['keys:read']), 'manage_all'));
  assert.ok(holdsVendorScope(new Set(['keys:read', 'keys:write']), 'manage_all'));
});

test('a vendor scope never stands in for a sibling vendor scope', () => {
  assert.ok(!holdsVendorScope(new Set(['create:signing_keys']), 'update:signing_keys'));
  assert.ok(!holdsVendorScope(new Set(['update:signing_keys']), 'create:signing_keys'));
  assert.ok(!holdsVendorScope(new Set(['okta.authorizationServers.manage']), 'okta.idps.read'));
});

test('an Okta manage scope includes its read sibling, as in Okta, and never the reverse', () => {
  assert.ok(holdsVendorScope(new Set(['okta.authorizationServers.manage']), 'okta.authorizationServers.read'));
  assert.ok(holdsVendorScope(new Set(['okta.idps.manage']), 'okta.idps.read'));
  assert.ok(!holdsVendorScope(new Set(['okta.idps.read']), 'okta.idps.manage'));
  assert.ok(!holdsVendorScope(new Set(['okta.authorizationServers.read']), 'okta.authorizationServers.manage'));
});
