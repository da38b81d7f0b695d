import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { pollUntil } from '../helpers/fresh-get.ts';
import { launchBrowser, type LaunchedBrowser } from '../helpers/launch-browser.ts';
import { freePort, spawnSignet, type SpawnedSignet } from '../helpers/spawn-signet.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

const ADMIN_TOKEN = 'sgt_ui-test-admin-token-0123456789';
const CLIENT_ID = 'ui-admin-client';
const CLIENT_SECRET = 'ui-admin-secret-0123456789abcdef';
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'ui');

interface KeySet {
  id: string;
  alg: string;
  ownerId: string;
  activeKid: string | null;
  nextKid: string | null;
  rotationSafeAt: string | null;
  policy: Record<string, unknown>;
}
interface Key {
  kid: string;
  state: string;
}

describe('dashboard in headless Chromium against a spawned signet', () => {
  let signet: SpawnedSignet;
  let browser: LaunchedBrowser;
  let dataDir: string;
  let defaultKeySetId: string;

  /** Calls the native API as the bootstrap admin (test set-up and checks, not what the page does). */
  const api = async (method: string, path: string, body?: unknown, token = ADMIN_TOKEN, tenantPrefix = '') => {
    const response = await fetch(`${signet.url}${tenantPrefix}/signet/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as any };
  };
  const keysOf = async (keySetId: string): Promise<Key[]> =>
    (await api('GET', `/key-sets/${keySetId}/keys`)).body.items;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'signet-ui-'));
    const port = await freePort();
    [signet, browser] = await Promise.all([
      spawnSignet({
        dataDir,
        port,
        env: {
          SIGNET_BOOTSTRAP_API_TOKEN: ADMIN_TOKEN,
          SIGNET_BOOTSTRAP_CLIENT_ID: CLIENT_ID,
          SIGNET_BOOTSTRAP_CLIENT_SECRET: CLIENT_SECRET,
          SIGNET_LOG_LEVEL: 'warn',
          // The webhook page's receiver listens on loopback; one failed attempt marks it failing.
          SIGNET_WEBHOOK_ALLOW_HTTP: 'true',
          SIGNET_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
          SIGNET_WEBHOOK_FAILING_AFTER: '1',
          // The signatures card reads the counts each flush writes; a short interval keeps the test quick.
          SIGNET_SIGNATURE_FLUSH_INTERVAL_SECONDS: '1',
          // Each instance writes the JWKS consumers it saw at this interval (readiness answers flush too).
          SIGNET_READINESS_FLUSH_INTERVAL_SECONDS: '1',
        },
      }),
      launchBrowser(),
    ]);
    defaultKeySetId = (await api('GET', '/key-sets')).body.items[0].id;
  });
  after(async () => {
    await browser?.close();
    await signet?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Script errors and CSP or Trusted Types violations of any page, checked after each test. */
  const problems: string[] = [];
  afterEach(() => assert.deepEqual(problems.splice(0), [], 'no script error or policy violation in the page'));
  const newPage = async (): Promise<Page> => {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy|Trusted(HTML|Script|Type)/i.test(message.text())) problems.push(message.text());
    });
    return page;
  };

  /** A new tab (sessionStorage is per tab, so each starts signed out), signed in with `token`. */
  async function signedIn(token = ADMIN_TOKEN, path = '/ui/'): Promise<Page> {
    const page = await newPage();
    await page.goto(`${signet.url}${path}`);
    await page.getByRole('textbox', { name: 'API token' }).fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    return page;
  }
  const openKeySet = async (page: Page, keySetId: string) => {
    await page.goto(`${page.url().split('#')[0]}#/key-sets/${keySetId}`);
    await page.locator('.timeline-svg').waitFor();
  };
  const shoot = async (page: Page, name: string, fullPage = true) => {
    await page.evaluate("document.querySelectorAll('.toast').forEach((toast) => toast.remove())");
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
  };
  const laneState = (page: Page, kid: string) =>
    page.locator(`.timeline-svg g.lane[data-kid="${kid}"]`).getAttribute('data-state');

  test('signs in with an API token, shows servers and key sets, and signs out for good', async () => {
    const banner = signet.stderr().match(/Dashboard: +(http:\S+)/);
    assert.ok(banner, 'the start banner prints the dashboard URL');
    assert.equal((await fetch(banner[1]!)).status, 200);
    const page = await signedIn();
    await page.getByRole('region', { name: 'Authorization servers' }).getByText('RS256 key set').waitFor();
    assert.equal(
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).count(),
      1,
      'a tenants:read credential sees Tenants',
    );
    assert.equal(await page.evaluate('localStorage.length'), 0, 'nothing in localStorage');
    assert.match(await page.evaluate<string>('Object.values(sessionStorage).join()'), /sgt_ui-test-admin/);
    await shoot(page, 'overview');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Signet' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Signet' }).waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 0);

    await page.getByRole('textbox', { name: 'API token' }).fill('sgt_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await page.close();
  });

  test('the key set page shows verifier readiness: each JWKS consumer, whether it holds the next key, its fetch interval', async () => {
    await fetch(`${signet.url}/.well-known/jwks.json?consumer=inventory`, {
      headers: { 'user-agent': 'ui-verifier/1' },
    });
    await fetch(`${signet.url}/.well-known/jwks.json?consumer=inventory`, {
      headers: { 'user-agent': 'ui-verifier/1' },
    });
    const page = await signedIn();
    await openKeySet(page, defaultKeySetId);
    const card = page.getByRole('region', { name: 'Verifier readiness' });
    const row = card.locator('tr[data-consumer="inventory"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-ready'), 'true');
    assert.match(await row.innerText(), /ui-verifier\/1/);
    assert.match(await row.innerText(), /ready/);
    assert.match(
      (await card.locator('.readiness-summary').textContent()) ?? '',
      /\d+ of \d+ consumers seen in the last 7 d hold the next key/,
    );
    await shoot(page, 'readiness');
    await page.close();
  });

  test('signs in with client credentials exchanged for a management token', async () => {
    const page = await newPage();
    await page.goto(`${signet.url}/ui/`);
    await page.getByRole('radio', { name: 'Client credentials' }).check();
    await page.getByLabel('Client ID').fill(CLIENT_ID);
    await page.getByLabel('Client secret').fill(CLIENT_SECRET);
    await shoot(page, 'sign-in', false);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const stored = await page.evaluate<string>('Object.values(sessionStorage).join()');
    assert.ok(!stored.includes(CLIENT_SECRET), 'the client secret is not kept');
    assert.match(stored, /"kind":"client"/);
    await page.close();
  });

  test('a credential deleted while signed in ends the session with a message', async () => {
    const created = await api('POST', '/api-tokens', { name: 'short-lived', scopes: ['keys:read', 'audit:read'] });
    const page = await signedIn(created.body.token);
    assert.equal((await api('DELETE', `/api-tokens/${created.body.id}`)).status, 204);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Sign in to Signet' }).waitFor();
    await page.getByText('Your session has ended').waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 0);
    await page.close();
  });

  test('rotate: an unsafe rotation is refused with the earliest safe time, then forced; key states and timeline change', async () => {
    const before = (await api('GET', `/key-sets/${defaultKeySetId}`)).body as KeySet;
    const page = await signedIn();
    await openKeySet(page, defaultKeySetId);
    assert.equal(await page.locator('[data-safety]').getAttribute('data-safety'), 'unsafe');
    assert.equal(await laneState(page, before.activeKid!), 'active');
    assert.equal(await laneState(page, before.nextKid!), 'next');
    assert.equal(await page.locator('.window-cache').count(), 1, 'the JWKS cache window of the next key is drawn');
    await shoot(page, 'key-set-before-rotation');

    await page.getByRole('button', { name: 'Rotate…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate signing key' });
    await dialog.getByText('What will change').waitFor();
    assert.match(await dialog.innerText(), /Not safe until/);
    await shoot(page, 'rotate-dialog', false);
    await dialog.getByRole('button', { name: 'Rotate now' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.locator('.earliest-safe').filter({ hasText: 'Earliest safe rotation' }).waitFor();
    assert.match(await refusal.innerText(), /ERR_ROTATION_UNSAFE|refused this rotation as unsafe/);
    assert.equal((await keysOf(defaultKeySetId)).length, 2, 'nothing changed yet');
    await shoot(page, 'rotate-refused', false);

    await dialog.getByRole('button', { name: 'Force rotation now' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`tr[data-kid="${before.activeKid}"][data-state="draining"]`).waitFor();
    assert.equal(await page.locator(`tr[data-kid="${before.nextKid}"]`).getAttribute('data-state'), 'active');
    assert.equal(await laneState(page, before.activeKid!), 'draining');
    assert.equal(await laneState(page, before.nextKid!), 'active');
    assert.equal(
      await page.locator('.timeline-svg g.lane[data-state="next"]').count(),
      1,
      'a fresh next key has its lane',
    );
    assert.equal(await page.locator('.window-tokens').count(), 1, 'the draining key shows its token-lifetime window');
    const states = Object.fromEntries((await keysOf(defaultKeySetId)).map((key) => [key.kid, key.state]));
    assert.equal(states[before.activeKid!], 'draining');
    assert.equal(states[before.nextKid!], 'active');
    await shoot(page, 'key-set-after-rotation');
    await page.close();
  });

  test('rotate: a key set whose next key is in every cache shows it is safe and rotates without force', async () => {
    const created = await api('POST', '/key-sets', {
      ownerId: 'default',
      alg: 'ES256',
      policy: { jwksMaxAgeSeconds: 0, clockSkewSeconds: 0 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const keySet = created.body.keySet as KeySet;
    const page = await signedIn();
    await openKeySet(page, keySet.id);
    await page.locator('[data-safety="safe"]').waitFor();
    await page.getByRole('button', { name: 'Rotate…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate signing key' });
    await dialog.getByText('Safe to rotate now').waitFor();
    await dialog.getByRole('button', { name: 'Rotate now' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`tr[data-kid="${keySet.nextKid}"][data-state="active"]`).waitFor();
    await page.close();
  });

  test('revoke is offered only for next and draining keys, and a revoked draining key leaves the published keys', async () => {
    let draining = (await keysOf(defaultKeySetId)).find((key) => key.state === 'draining');
    if (!draining) {
      await api('POST', `/key-sets/${defaultKeySetId}/rotate`, { force: true });
      draining = (await keysOf(defaultKeySetId)).find((key) => key.state === 'draining')!;
    }
    const page = await signedIn();
    await openKeySet(page, defaultKeySetId);
    assert.equal(
      await page.locator('tr[data-state="active"] button[data-action="revoke"]').count(),
      0,
      'the active key cannot be revoked',
    );
    assert.equal(await page.locator('tr[data-state="next"] button[data-action="revoke"]').count(), 1);

    await page
      .locator(`tr[data-kid="${draining.kid}"]`)
      .getByRole('button', { name: /^Revoke/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Revoke draining key' });
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('details.history > summary').click();
    await page.locator(`details.history tr[data-kid="${draining.kid}"][data-state="revoked"]`).waitFor();
    assert.equal(await laneState(page, draining.kid), 'revoked');
    assert.equal((await keysOf(defaultKeySetId)).find((key) => key.kid === draining.kid)?.state, 'revoked');
    const jwks = (await (await fetch(`${signet.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    assert.ok(!jwks.keys.some((key) => key.kid === draining.kid), 'gone from the JWKS');
    await page.close();
  });

  test('an invalid policy shows the API error next to the field it names, and nothing is saved', async () => {
    const page = await signedIn();
    await openKeySet(page, defaultKeySetId);
    const draining = page.locator('[data-field="drainingPeriodSeconds"]');
    await draining.getByRole('spinbutton').fill('10');
    await draining.getByRole('combobox').selectOption('minutes');
    await page.getByRole('button', { name: 'Save policy' }).click();
    const error = draining.locator('.field-error');
    await error.waitFor();
    assert.match(await error.innerText(), /drainingPeriodSeconds \(600\) is shorter than maxTokenLifetimeSeconds/);
    assert.equal(await draining.getByRole('spinbutton').getAttribute('aria-invalid'), 'true');
    assert.equal(
      await page.evaluate('document.activeElement?.id'),
      'policy-drainingPeriodSeconds',
      'focus moves to the field',
    );
    assert.match(
      await page.locator('[data-field="maxTokenLifetimeSeconds"] .field-error').innerText(),
      /Draining period/,
      'the other value in conflict is marked',
    );
    await shoot(page, 'policy-error', false);

    await page.getByRole('button', { name: 'Reset' }).click();
    const period = page.locator('[data-field="rotationPeriodSeconds"]');
    await period.getByRole('spinbutton').fill('1.5');
    await period.getByRole('combobox').selectOption('seconds');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await period.locator('.field-error').filter({ hasText: 'must be integer' }).waitFor();
    assert.equal(await draining.locator('.field-error').isHidden(), true, 'the earlier error is cleared');

    const policy = (await api('GET', `/key-sets/${defaultKeySetId}`)).body.policy;
    assert.equal(policy.drainingPeriodSeconds, 7500);
    assert.equal(policy.rotationPeriodSeconds, 90 * 86400);

    // A valid change is saved and shown.
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('radio', { name: /Manual/ }).check();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('manual rotation', { exact: true }).waitFor();
    assert.equal((await api('GET', `/key-sets/${defaultKeySetId}`)).body.policy.mode, 'MANUAL');
    assert.equal((await api('PATCH', `/key-sets/${defaultKeySetId}`, { policy: { mode: 'AUTO' } })).status, 200);
    await page.close();
  });

  test('the policy form sets the readiness window, gate and maximum wait, shown after a reload; a bad value shows the API error and nothing is saved', async () => {
    const server = await api('POST', '/authorization-servers', {
      id: 'gate-policy-ui',
      audiences: ['api://gate-policy'],
      alg: 'ES256',
    });
    assert.equal(server.status, 201, JSON.stringify(server.body));
    const keySetId = server.body.signingKeySetId as string;
    const policyOf = async () => (await api('GET', `/key-sets/${keySetId}`)).body.policy;
    const page = await signedIn();
    await openKeySet(page, keySetId);
    const group = page.getByRole('group', { name: 'Verifier readiness' });
    const field = (name: string) => group.locator(`[data-field="${name}"]`);
    assert.equal(await field('readinessWindowSeconds').getByRole('spinbutton').inputValue(), '7');
    assert.equal(await field('readinessWindowSeconds').getByRole('combobox').inputValue(), 'days');
    assert.equal(await field('readinessGatePercent').getByRole('spinbutton').inputValue(), '0');
    assert.equal(await field('readinessGatePercent').getByRole('combobox').count(), 0, 'a percentage has no unit');
    await page.locator('.readiness-gate[data-gate="disabled"]').waitFor();

    await field('readinessWindowSeconds').getByRole('spinbutton').fill('14');
    await field('readinessGatePercent').getByLabel('Readiness gate').fill('80');
    await field('readinessGateMaxWaitSeconds').getByRole('spinbutton').fill('36');
    await field('readinessGateMaxWaitSeconds').getByRole('combobox').selectOption('hours');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('.readiness-gate[data-gate="open"]').filter({ hasText: '80%' }).waitFor();
    const saved = await policyOf();
    assert.deepEqual(
      [saved.readinessWindowSeconds, saved.readinessGatePercent, saved.readinessGateMaxWaitSeconds],
      [14 * 86_400, 80, 36 * 3600],
    );

    await page.reload();
    await page.locator('.timeline-svg').waitFor();
    assert.equal(await field('readinessWindowSeconds').getByRole('spinbutton').inputValue(), '14');
    assert.equal(await field('readinessWindowSeconds').getByRole('combobox').inputValue(), 'days');
    assert.equal(await field('readinessGatePercent').getByRole('spinbutton').inputValue(), '80');
    assert.equal(await field('readinessGateMaxWaitSeconds').getByRole('spinbutton').inputValue(), '36');
    assert.equal(await field('readinessGateMaxWaitSeconds').getByRole('combobox').inputValue(), 'hours');
    await page.locator('.readiness-gate').filter({ hasText: '80%' }).waitFor();
    await shoot(page, 'policy-readiness', true);

    await field('readinessGatePercent').getByRole('spinbutton').fill('150');
    await page.getByRole('button', { name: 'Save policy' }).click();
    const error = field('readinessGatePercent').locator('.field-error');
    await error.waitFor();
    assert.match(await error.innerText(), /readinessGatePercent must be an integer from 0 to 100, got 150/);
    assert.equal(await field('readinessGatePercent').getByRole('spinbutton').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate('document.activeElement?.id'), 'policy-readinessGatePercent');
    await shoot(page, 'policy-readiness-error', false);

    await page.getByRole('button', { name: 'Reset' }).click();
    await field('readinessWindowSeconds').getByRole('spinbutton').fill('30');
    await field('readinessWindowSeconds').getByRole('combobox').selectOption('minutes');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await field('readinessWindowSeconds')
      .locator('.field-error')
      .filter({ hasText: /readinessWindowSeconds must be an integer from 3600 to \d+, got 1800/ })
      .waitFor();
    assert.equal(await error.isHidden(), true, 'the earlier error is cleared');
    assert.deepEqual(await policyOf(), saved, 'nothing was saved');
    await page.close();
  });

  test('a credential of another tenant sees nothing of this one', async () => {
    const created = await api('POST', '/tenants', { id: 'globex', displayName: 'Globex' });
    assert.equal(created.status, 201);
    const globexToken = created.body.adminToken.token as string;

    const page = await newPage();
    await page.goto(`${signet.url}/ui/`);
    await page.getByRole('textbox', { name: 'API token' }).fill(globexToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'belongs to another tenant' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Overview' }).count(), 0);

    const globex = await signedIn(globexToken, '/t/globex/ui/');
    await globex.getByText('RS256 key set').waitFor();
    const defaultIds = (await api('GET', '/key-sets')).body.items.map((keySet: KeySet) => keySet.id) as string[];
    const globexIds = (await api('GET', '/key-sets', undefined, globexToken, '/t/globex')).body.items.map(
      (keySet: KeySet) => keySet.id,
    ) as string[];
    assert.equal(await globex.locator(`a[href="#/key-sets/${globexIds[0]}"]`).count(), 1);
    const text = await globex.locator('body').innerText();
    for (const id of defaultIds) assert.ok(!text.includes(id), `default tenant's key set ${id} is not shown`);
    assert.equal(await globex.getByRole('link', { name: 'Tenants' }).count(), 0, 'no tenants:read, no tenant list');

    await globex.goto(`${signet.url}/t/globex/ui/#/key-sets/${defaultIds[0]}`);
    await globex.getByRole('alert').filter({ hasText: 'not found' }).waitFor();
    await globex.goto(`${signet.url}/t/globex/ui/#/audit`);
    await globex.locator('.table-audit tbody tr').first().waitFor();
    const audit = await globex.locator('main').innerText();
    for (const id of defaultIds) assert.ok(!audit.includes(id), `no audit event of ${id}`);
    await page.close();
    await globex.close();
  });

  test('keyboard only: the emergency-rotate dialog keeps focus inside, Escape returns it, typing the kid confirms', async () => {
    const before = (await api('GET', `/key-sets/${defaultKeySetId}`)).body as KeySet;
    const page = await signedIn();
    await openKeySet(page, defaultKeySetId);
    await page.locator('body').focus();
    const isFocused = () => page.evaluate("document.activeElement?.getAttribute('data-action')");
    for (let i = 0; i < 40 && (await isFocused()) !== 'emergency-rotate'; i += 1) await page.keyboard.press('Tab');
    assert.equal(await isFocused(), 'emergency-rotate', 'reachable with Tab');
    const ring = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(ring, 'none', 'focus is visible');

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Emergency rotate' });
    await dialog.waitFor();
    const insideDialog = () => page.evaluate("Boolean(document.activeElement?.closest('dialog[open]'))");
    assert.equal(
      await page.evaluate('document.activeElement?.tagName'),
      'INPUT',
      'focus starts in the confirmation field',
    );
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      assert.ok(await insideDialog(), `focus stays in the dialog after ${i + 1} Tab presses`);
    }
    await page.keyboard.press('Shift+Tab');
    assert.ok(await insideDialog());
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await isFocused(), 'emergency-rotate', 'focus returns to the button that opened it');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Revoke and rotate' });
    assert.equal(await confirm.isDisabled(), true, 'disabled until the kid is typed');
    await page.keyboard.type(before.activeKid!);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Revoke and rotate');
    await shoot(page, 'emergency-rotate-dialog', false);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const states = Object.fromEntries((await keysOf(defaultKeySetId)).map((key) => [key.kid, key.state]));
    assert.equal(states[before.activeKid!], 'revoked');
    assert.equal(states[before.nextKid!], 'active');
    await page.close();
  });

  test('the audit log filters by action and key set and links back to the key set', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('.table-audit tbody tr').first().waitFor();
    await page.getByLabel('Action').selectOption('key.revoked');
    await page.getByLabel('Key set').selectOption(defaultKeySetId);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/action=key\.revoked/);
    await page.getByRole('status').filter({ hasText: 'matching the filters' }).waitFor();
    const actions = await page
      .locator('.table-audit tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));
    assert.ok(actions.length >= 2, 'the revocations of the earlier tests');
    assert.deepEqual([...new Set(actions)], ['key.revoked']);
    await shoot(page, 'audit');
    await page.locator('.table-audit tbody tr').first().getByRole('link').click();
    await page.locator('.timeline-svg').waitFor();
    assert.match(page.url(), new RegExp(`#/key-sets/${defaultKeySetId}$`));
    await page.close();
  });

  test('API credentials: a token created with scopes is shown once with a copy button, works, and is deleted after confirmation', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'API credentials' }).click();
    await page.getByRole('button', { name: 'New API token' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API token' });
    await dialog.getByRole('button', { name: 'Create API token' }).click();
    await dialog.getByText('Give it a name').waitFor();
    await dialog.getByLabel('Name').fill('ci-reader');
    await dialog.getByRole('checkbox', { name: /keys:read/ }).check();
    await dialog.getByRole('checkbox', { name: /audit:read/ }).check();
    await dialog.getByRole('button', { name: 'Create API token' }).click();
    const secret = dialog.getByRole('textbox', { name: 'API token' });
    await secret.waitFor();
    const token = await secret.inputValue();
    assert.match(token, /^sgt_/);
    await dialog.getByRole('button', { name: 'Copy api token' }).click();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), token);
    await shoot(page, 'credentials-secret-once', false);
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('tr', { hasText: 'ci-reader' });
    await row.waitFor();
    assert.match(await row.innerText(), /keys:read[\s\S]*audit:read/);
    assert.equal(await page.getByText(token).count(), 0, 'the token is not shown again');
    assert.equal((await api('GET', '/key-sets', undefined, token)).status, 200);
    assert.equal(
      (await api('POST', `/key-sets/${defaultKeySetId}/rotate`, { force: true }, token)).status,
      403,
      'only the scopes chosen',
    );
    await shoot(page, 'credentials');

    await row.getByRole('button', { name: 'Delete API token ci-reader' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete API token' });
    await confirm.getByRole('button', { name: 'Delete API token' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await api('GET', '/key-sets', undefined, token)).status, 401);
    await page.close();
  });

  test('signing: an authorization server gets an external issuer, and a signing token is restricted to it', async () => {
    const page = await signedIn();
    const card = page.getByRole('article', { name: 'Authorization server default' });
    await card.getByLabel(/External issuer of default/).fill('https://login.example.com');
    await card.getByRole('button', { name: 'Save issuer' }).click();
    await page
      .getByRole('article', { name: 'Authorization server default' })
      .getByText('https://login.example.com', { exact: true })
      .first()
      .waitFor();
    assert.equal((await api('GET', '/authorization-servers/default')).body.externalIssuer, 'https://login.example.com');
    const wrong = page.getByRole('article', { name: 'Authorization server default' });
    await wrong.getByLabel(/External issuer of default/).fill('http://not-https.example.com');
    await wrong.getByRole('button', { name: 'Save issuer' }).click();
    await wrong.getByRole('alert').filter({ hasText: 'https' }).waitFor();

    await page.getByRole('link', { name: 'API credentials' }).click();
    await page.getByRole('button', { name: 'New API token' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API token' });
    await dialog.getByLabel('Name').fill('idp-signer');
    await dialog.getByRole('checkbox', { name: /tokens:sign/ }).check();
    await dialog.getByLabel(/May sign for/).fill('default');
    await dialog.getByRole('button', { name: 'Create API token' }).click();
    const secret = dialog.getByRole('textbox', { name: 'API token' });
    await secret.waitFor();
    const token = await secret.inputValue();
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('tr', { hasText: 'idp-signer' });
    await row.getByText('signs only for default').waitFor();
    const signed = await api('POST', '/authorization-servers/default/sign', { claims: { sub: 'u' } }, token);
    assert.equal(signed.status, 200);
    const claims = JSON.parse(Buffer.from(signed.body.jwt.split('.')[1], 'base64url').toString());
    assert.equal(claims.iss, 'https://login.example.com');
    assert.equal((await api('PATCH', '/authorization-servers/default', { externalIssuer: null })).status, 200);
    await page.close();
  });

  test('the audit log pages through older events', async () => {
    // Enough events for two pages of 25: each token creation writes one.
    for (let i = 0; i < 26; i += 1)
      assert.equal((await api('POST', '/api-tokens', { name: `filler-${i}`, scopes: ['audit:read'] })).status, 201);
    const page = await signedIn();
    await page.getByRole('link', { name: 'Audit log' }).click();
    const ids = () =>
      page
        .locator('.table-audit tbody tr')
        .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-id'))));
    await page.locator('.table-audit tbody tr').first().waitFor();
    const first = await ids();
    assert.equal(first.length, 25);
    await page.getByRole('link', { name: 'Older ›' }).click();
    await page.waitForURL(/before=/);
    await page.getByRole('status').filter({ hasText: 'older page' }).waitFor();
    const second = await ids();
    assert.ok(second.length > 0 && Math.max(...second) < Math.min(...first), 'the next page holds only older events');
    await page.getByRole('link', { name: '« Newest' }).click();
    await page.waitForURL((url) => !url.hash.includes('before='));
    await page.locator(`.table-audit tbody tr[data-id="${first[0]}"]`).waitFor();
    await page.close();
  });

  test('the key set page shows signatures per kid and the credentials that may sign', async () => {
    const server = await api('POST', '/authorization-servers', {
      id: 'ledger-ui',
      audiences: ['api://l'],
      alg: 'ES256',
    });
    assert.equal(server.status, 201);
    const keySetId = server.body.signingKeySetId as string;
    const signer = await api('POST', '/api-tokens', {
      name: 'my-idp',
      scopes: ['tokens:sign'],
      authorizationServerIds: ['ledger-ui'],
    });
    const elsewhere = await api('POST', '/api-tokens', {
      name: 'other-idp',
      scopes: ['tokens:sign'],
      authorizationServerIds: ['default'],
    });
    const reader = await api('POST', '/api-tokens', { name: 'reader-only', scopes: ['keys:read'] });
    let kid = '';
    for (let i = 0; i < 3; i += 1) {
      const signed = await api(
        'POST',
        '/authorization-servers/ledger-ui/sign',
        { claims: { sub: 'u' } },
        signer.body.token,
      );
      assert.equal(signed.status, 200);
      kid = signed.body.kid;
    }
    for (let i = 0; i < 2; i += 1) {
      const issued = await fetch(`${signet.url}/oauth2/ledger-ui/v1/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      assert.equal(issued.status, 200);
    }
    // The counts reach the audit log on the instance's flush schedule (one second here).
    const counted = async () => {
      const listed = await api('GET', `/key-sets/${keySetId}/keys/${kid}/signers`);
      return listed.body.signers.reduce((sum: number, s: { count: number }) => sum + s.count, 0) === 5;
    };
    assert.ok(await pollUntil(counted, 30_000), 'the five signatures are counted');

    const page = await signedIn();
    await openKeySet(page, keySetId);
    const card = page.getByRole('region', { name: 'Signatures' });
    await card.locator(`tr[data-kid="${kid}"][data-total="5"]`).waitFor();
    assert.equal(await card.locator(`tr[data-kid="${kid}"] rect.bar:not(.bar-empty)`).count(), 1);
    const credentials = await card
      .locator('tr[data-credential]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-credential')));
    assert.ok(credentials.includes(signer.body.id), 'the API token with tokens:sign for this server');
    assert.ok(credentials.includes(CLIENT_ID), 'the token endpoint client');
    assert.ok(!credentials.includes(elsewhere.body.id), 'a token restricted to another server');
    assert.ok(!credentials.includes(reader.body.id), 'a token without tokens:sign');
    const activity = page.getByRole('region', { name: 'Recent activity' });
    await activity.getByText('Key set created').first().waitFor();
    assert.equal(await activity.getByText('Signatures counted').count(), 0, 'counts stay out of the activity');
    await card.scrollIntoViewIfNeeded();
    await shoot(page, 'key-set-signatures');
    await page.close();
  });

  test('at phone width the key set page fits the screen without sideways scrolling', async () => {
    const page = await signedIn();
    await page.setViewportSize({ width: 390, height: 844 });
    await openKeySet(page, defaultKeySetId);
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    assert.ok(await page.getByRole('button', { name: 'Rotate…', exact: true }).isVisible());
    const timelineOverflow = await page.evaluate<number>(
      "(() => { const s = document.querySelector('.timeline-scroll'); return s.scrollWidth - s.clientWidth; })()",
    );
    assert.ok(timelineOverflow <= 0, 'the timeline is laid out for the phone, not cut off');
    await shoot(page, 'key-set-phone');
    await page.evaluate("document.getElementById('timeline-title').scrollIntoView()");
    await shoot(page, 'key-set-phone-timeline', false);
    for (const [route, ready] of [
      ['#/audit', '.table-audit tbody tr'],
      ['#/credentials', '.table tbody tr'],
      ['#/', '.key-set-link'],
    ] as const) {
      await page.goto(`${signet.url}/ui/${route}`);
      await page.locator(ready).first().waitFor();
      const wider = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      assert.ok(wider <= 0, `${route} is ${wider}px wider than the screen`);
    }
    await shoot(page, 'overview-phone', false);
    await page.close();
  });

  test('webhooks: subscribe with the secret shown once, see a failing receiver, redeliver, and it is healthy again', async () => {
    const receiver = await startWebhookReceiver({ reply: () => 500 });
    try {
      const page = await signedIn();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
      await page.getByText('No webhooks').waitFor();
      await page.getByRole('button', { name: 'New webhook' }).click();
      const dialog = page.getByRole('dialog', { name: 'New webhook' });
      await dialog.getByLabel('URL').fill('http://');
      await dialog.getByRole('button', { name: 'Create webhook' }).click();
      await dialog.getByText(/url must be an absolute URL/).waitFor();
      await dialog.getByLabel('URL').fill(receiver.url);
      await dialog.getByRole('checkbox', { name: /dev\.signet\.key\.revoked/ }).check();
      await dialog.getByRole('button', { name: 'Create webhook' }).click();
      const secret = await dialog.getByRole('textbox', { name: 'Signing secret' }).inputValue();
      assert.match(secret, /^whsec_/);
      receiver.trust(secret);
      await shoot(page, 'webhook-created', false);
      await dialog.getByRole('button', { name: 'Done' }).click();
      const webhookId: string = (await api('GET', '/webhooks')).body.items[0].id;
      await page.locator(`tr[data-id="${webhookId}"] [data-status="healthy"]`).waitFor();
      assert.ok(!(await page.content()).includes(secret), 'the secret is gone once the dialog closes');

      // A revocation the receiver refuses: one failed attempt marks the subscription failing.
      const rotated = (await api('POST', `/key-sets/${defaultKeySetId}/rotate`, { force: true })).body;
      const draining = rotated.keys.find((key: Key) => key.state === 'draining').kid;
      assert.equal((await api('POST', `/key-sets/${defaultKeySetId}/keys/${draining}/revoke`, {})).status, 200);
      await receiver.waitFor(1);
      assert.ok(
        await pollUntil(
          async () => (await api('GET', `/webhooks/${webhookId}`)).body.webhook.status === 'failing',
          30_000,
        ),
      );
      await page.reload();
      await page.locator(`tr[data-id="${webhookId}"] [data-status="failing"]`).waitFor();
      await shoot(page, 'webhooks-failing');

      await page.locator(`tr[data-id="${webhookId}"]`).getByRole('link', { name: 'Deliveries' }).click();
      await page.getByRole('heading', { level: 1, name: receiver.url }).waitFor();
      const row = page.locator('tr[data-status="pending"]');
      await row.getByText('500').waitFor();
      await row.getByText('key.revoked').waitFor();
      receiver.setReply(() => 204);
      await row.getByRole('button', { name: 'Redeliver' }).click();
      await page.locator('.toast').getByText('1 delivery queued again').waitFor();
      assert.ok(
        await pollUntil(
          async () => (await api('GET', `/webhooks/${webhookId}`)).body.webhook.status === 'healthy',
          30_000,
        ),
      );
      await page.reload();
      await page.locator('tr[data-status="delivered"]').getByText('204').waitFor();
      await shoot(page, 'webhook-deliveries');
      assert.equal(receiver.received.at(-1)!.answered, 204);
      await page.close();
    } finally {
      await receiver.close();
    }
  });

  test('the rotate, emergency-rotate and revoke dialogs show what verifier libraries would do, and change nothing', async () => {
    const created = await api('POST', '/key-sets', { ownerId: 'default', alg: 'ES256' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const keySet = created.body.keySet as KeySet;
    const before = await keysOf(keySet.id);
    const page = await signedIn();
    await openKeySet(page, keySet.id);
    const simulated = async (dialogName: string) => {
      const dialog = page.getByRole('dialog', { name: dialogName });
      await dialog.locator('[data-simulation="ready"]').waitFor();
      assert.equal(await dialog.locator('.table-simulation tbody tr').count(), 7);
      const cell = (library: string, column: 2 | 3) =>
        dialog.locator(`tr[data-library="${library}"] td:nth-child(${column})`).getAttribute('data-window');
      return { dialog, cell };
    };

    await page.getByRole('button', { name: 'Rotate…', exact: true }).click();
    const rotate = await simulated('Rotate signing key');
    // The next key was published moments ago: a Cache-Control verifier may still hold a copy without it.
    assert.equal(await rotate.cell('cache-control', 2), 'bounded');
    assert.equal(await rotate.cell('pyjwt', 2), 'none');
    for (const library of ['jose', 'go-oidc', 'cache-control']) assert.equal(await rotate.cell(library, 3), 'none');
    await shoot(page, 'rotate-dialog-simulation', false);
    await rotate.dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.locator('[data-action="emergency-rotate"]').click();
    const emergency = await simulated('Emergency rotate');
    for (const library of ['jose', 'jwks-rsa', 'pyjwt', 'microsoft-identitymodel', 'spring-nimbus', 'go-oidc'])
      assert.equal(await emergency.cell(library, 3), 'bounded', library);
    await emergency.dialog.getByRole('button', { name: 'Cancel' }).click();

    await page
      .locator(`tr[data-kid="${keySet.nextKid}"]`)
      .getByRole('button', { name: /^Revoke/ })
      .click();
    const revoke = await simulated('Revoke next key');
    assert.equal(await revoke.cell('jose', 3), 'bounded');
    assert.equal(await revoke.cell('jose', 2), 'none');
    await revoke.dialog.getByRole('button', { name: 'Cancel' }).click();

    assert.deepEqual(await keysOf(keySet.id), before, 'simulating changed nothing');
    await page.close();
  });

  test('the dialogs list the consumers seen fetching the JWKS with their model and readiness; a closed readiness gate is shown and forced', async () => {
    const server = await api('POST', '/authorization-servers', {
      id: 'gate-ui',
      audiences: ['api://gate'],
      alg: 'ES256',
      // No cache window: only the readiness gate can refuse a plain rotation here.
      policy: { jwksMaxAgeSeconds: 0, clockSkewSeconds: 0 },
    });
    assert.equal(server.status, 201, JSON.stringify(server.body));
    const keySetId = server.body.signingKeySetId as string;
    const jwks = async (userAgent: string, consumer?: string) => {
      const query = consumer ? `?consumer=${consumer}` : '';
      const response = await fetch(`${signet.url}/oauth2/gate-ui/v1/keys${query}`, {
        headers: { 'user-agent': userAgent },
      });
      assert.equal(response.status, 200);
    };
    await jwks('jose/v6.2.17', 'orders');
    await jwks('Go-http-client/1.1', 'billing');
    // A rotation publishes a new next key; billing does not fetch again, so it lags.
    assert.equal((await api('POST', `/key-sets/${keySetId}/rotate`, { force: true })).status, 200);
    await jwks('jose/v6.2.17', 'orders');
    await jwks('curl/8.5.0');
    const gate = async (percent: number) =>
      assert.equal(
        (await api('PATCH', `/key-sets/${keySetId}`, { policy: { readinessGatePercent: percent } })).status,
        200,
      );
    await gate(100);

    const page = await signedIn();
    await openKeySet(page, keySetId);
    await page.locator('.readiness-gate[data-gate="closed"]').waitFor();
    const consumersIn = async (dialog: ReturnType<Page['getByRole']>) => {
      await dialog.locator('[data-simulation="ready"]').waitFor();
      const row = (consumer: string) => dialog.locator(`.table-consumers tr[data-consumer="${consumer}"]`);
      assert.equal(await dialog.locator('.table-consumers tbody tr').count(), 3);
      assert.equal(await row('orders').getAttribute('data-ready'), 'true');
      assert.equal(await row('orders').getAttribute('data-model'), 'jose');
      assert.match(await row('orders').innerText(), /orders[\s\S]*jose\/v6\.2\.17[\s\S]*jose \(Node\.js\)[\s\S]*ready/);
      assert.equal(await row('billing').getAttribute('data-ready'), 'false');
      assert.equal(await row('billing').getAttribute('data-model'), 'go-oidc');
      assert.match(await row('billing').innerText(), /Go-http-client\/1\.1[\s\S]*go-oidc[\s\S]*lagging/);
      assert.match(await row('127.0.0.1').innerText(), /127\.0\.0\.1[\s\S]*curl\/8\.5\.0[\s\S]*no model matches/);
      assert.match(await dialog.locator('.observed-consumers').innerText(), /1 of 3 have not fetched the next key/);
    };

    await page.getByRole('button', { name: 'Rotate…', exact: true }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate signing key' });
    await consumersIn(rotate);
    const notice = rotate.locator('.gate-notice[data-gate="closed"]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /readiness gate is closed[\s\S]*2 of 3 consumers[\s\S]*100%/);
    assert.equal(
      await rotate.getByRole('button', { name: 'Rotate now' }).count(),
      0,
      'a plain rotate would be refused',
    );
    await rotate.getByRole('button', { name: 'Force rotation now' }).waitFor();
    await shoot(page, 'rotate-dialog-gate-closed', false);
    await rotate.getByRole('button', { name: 'Cancel' }).click();

    await page.locator('[data-action="emergency-rotate"]').click();
    const emergency = page.getByRole('dialog', { name: 'Emergency rotate' });
    await consumersIn(emergency);
    await emergency.getByRole('button', { name: 'Cancel' }).click();

    const nextKid = (await keysOf(keySetId)).find((key) => key.state === 'next')!.kid;
    await page
      .locator(`tr[data-kid="${nextKid}"]`)
      .getByRole('button', { name: /^Revoke/ })
      .click();
    const revoke = page.getByRole('dialog', { name: 'Revoke next key' });
    await consumersIn(revoke);
    await revoke.getByRole('button', { name: 'Cancel' }).click();

    // The gate closes after the dialog read it open: the refusal names the lagging consumer and offers force.
    await gate(0);
    const before = await keysOf(keySetId);
    await page.getByRole('button', { name: 'Rotate…', exact: true }).click();
    await rotate.locator('.gate-notice[data-gate="open"]').waitFor({ state: 'attached' });
    await gate(100);
    await rotate.getByRole('button', { name: 'Rotate now' }).click();
    const refusal = rotate.getByRole('alert');
    await refusal.filter({ hasText: 'the readiness gate is closed' }).waitFor();
    assert.equal(await refusal.locator('li[data-consumer="billing"]').count(), 1);
    assert.equal(await refusal.locator('li').count(), 1, 'only the lagging consumer is named');
    assert.deepEqual(await keysOf(keySetId), before, 'nothing changed');
    await rotate.getByRole('button', { name: 'Force rotation now' }).click();
    await rotate.waitFor({ state: 'detached' });
    await page.locator(`tr[data-kid="${nextKid}"][data-state="active"]`).waitFor();
    await page.close();
  });

  test('a new key set is created with its custody from the overview; a custody the instance lacks is refused in the dialog', async () => {
    const page = await signedIn();
    const servers = page.getByRole('region', { name: 'Authorization servers' });
    await servers.getByText('keys sealed').first().waitFor();
    await servers.getByRole('button', { name: 'New key set…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New key set' });
    await dialog.getByLabel('Algorithm').selectOption('ES256');
    await dialog.getByLabel('Key custody').selectOption('pkcs11');
    await dialog.getByRole('button', { name: 'Create key set' }).click();
    // This instance has no PKCS#11 token: the API's refusal shows in the dialog, nothing is created.
    await dialog.getByRole('alert').filter({ hasText: 'ERR_VALIDATION' }).waitFor();
    const before = (await api('GET', '/key-sets')).body.items.length;
    await dialog.getByLabel('Key custody').selectOption('sealed');
    await dialog.getByRole('button', { name: 'Create key set' }).click();
    await page.getByRole('heading', { level: 1, name: 'ES256 key set' }).waitFor();
    await page.getByText('keys sealed').waitFor();
    const keySets = (await api('GET', '/key-sets')).body.items as Array<KeySet & { custody: string }>;
    assert.equal(keySets.length, before + 1);
    assert.equal(keySets.at(-1)?.custody, 'sealed');
    await page.close();
  });
});
