import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createTestContext, type TestContext } from '../helpers/create-test-context.ts';

describe('dashboard routes', () => {
  let context: TestContext;
  beforeEach(async () => {
    context = await createTestContext();
  });
  afterEach(() => context.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    context.app.inject({ method: 'GET', url, headers });
  const assetPath = (html: string): string => html.match(/src="(assets\/[^"]+\/app\.js)"/)![1]!;

  test('GET /ui redirects to /ui/ relative to the address it came through', async () => {
    const response = await get('/ui');
    assert.equal(response.statusCode, 308);
    assert.equal(response.headers.location, 'ui/');
  });

  test('GET /ui/ serves the page uncached under a strict Content-Security-Policy', async () => {
    const response = await get('/ui/');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['cache-control'], 'no-cache');
    const csp = String(response.headers['content-security-policy']);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "require-trusted-types-for 'script'",
    ]) {
      assert.ok(csp.includes(directive), `CSP has ${directive}`);
    }
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.doesNotMatch(response.body, /<script>|<script [^>]*>[^<]/, 'no inline script');
    assert.match(response.body, /<meta name="signet-tenant" content="default">/);
  });

  test('assets are served under the release digest with a year of immutable caching; other digests and names are 404', async () => {
    const path = assetPath((await get('/ui/')).body);
    const script = await get(`/ui/${path}`);
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.ok(script.headers['content-security-policy']);
    const css = await get(`/ui/${path.replace('app.js', 'styles.css')}`);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    const nested = await get(`/ui/${path.replace('app.js', 'views/timeline.js')}`);
    assert.equal(nested.statusCode, 200);

    assert.equal((await get('/ui/assets/0000000000000000/app.js')).statusCode, 404);
    assert.equal((await get(`/ui/${path.replace('app.js', 'tsconfig.json')}`)).statusCode, 404);
    assert.equal((await get(`/ui/${path.replace('app.js', '../../../package.json')}`)).statusCode, 404);
    assert.equal((await get(`/ui/${path.replace('app.js', 'index.html')}`)).statusCode, 404);
  });

  test('a tenant addressed by path or by a claimed host gets its own page, with its name escaped', async () => {
    const created = await context.app.inject({
      method: 'POST',
      url: '/signet/v1/tenants',
      headers: context.admin,
      payload: { id: 'acme', displayName: 'Acme <Corp> & "Co"', hostNames: ['acme.example'] },
    });
    assert.equal(created.statusCode, 201, created.body);
    for (const response of [await get('/t/acme/ui/'), await get('/ui/', { host: 'acme.example' })]) {
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /<meta name="signet-tenant" content="acme">/);
      assert.match(response.body, /content="Acme &lt;Corp&gt; &amp; &quot;Co&quot;"/);
      assert.match(response.body, /<meta name="signet-root-tenant" content="false">/);
    }
    assert.equal((await get('/t/nope/ui/')).statusCode, 404);
  });
});
