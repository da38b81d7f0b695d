import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { createTestContext, findPrivateMaterial, type TestContext } from '../helpers/create-test-context.ts';

/** Every form a private key could take in a file: raw private scalars, base64url members, PKCS#8 DER and PEM. */
function privateForms(privateKey: KeyObject): Buffer[] {
  const jwk = privateKey.export({ format: 'jwk' });
  const members = ['d', 'p', 'q', 'dp', 'dq', 'qi'].flatMap((name) => {
    const value = jwk[name as keyof typeof jwk];
    return typeof value === 'string' ? [Buffer.from(value, 'base64url'), Buffer.from(value)] : [];
  });
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const pem = Buffer.from(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  // A 16-byte window of the raw scalar is enough to find it anywhere in a page.
  return [...members.map((m) => m.subarray(0, 16)), der.subarray(der.length - 24), pem.subarray(40, 80)];
}

describe('pkcs11 custody: the database and its WAL hold no private key material', () => {
  let context: TestContext;
  before(async () => {
    context = await createTestContext({ custody: 'pkcs11' });
  });
  after(() => context.close());

  test('keys generated on the token and keys imported into it leave only public keys and object ids in SQLite', async () => {
    const imported = [
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    ];
    const created: string[] = [];
    for (const [index, privateKey] of imported.entries()) {
      const alg = index === 0 ? 'RS256' : 'ES256';
      const server = await context.app.inject({
        method: 'POST',
        url: '/signet/v1/authorization-servers',
        headers: context.admin,
        payload: {
          id: `imported-${index}`,
          audiences: ['api://x'],
          alg,
          custody: 'pkcs11',
          privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        },
      });
      assert.equal(server.statusCode, 201, server.body);
      created.push(server.json().signingKeySetId);
      const keySet = await context.app.inject({
        method: 'GET',
        url: `/signet/v1/key-sets/${server.json().signingKeySetId}`,
        headers: context.admin,
      });
      assert.equal(keySet.json().custody, 'pkcs11');
      assert.deepEqual(findPrivateMaterial(keySet.body), []);
    }

    const path = join(context.dir, 'signet.db');
    const database = new DatabaseSync(path, { readOnly: true });
    try {
      const rows = database
        .prepare(
          `SELECT keys.sealed_private_key AS sealed, keys.token_object_id AS objectId FROM keys
           JOIN key_sets ON key_sets.id = keys.key_set_id WHERE key_sets.custody = 'pkcs11'`,
        )
        .all() as Array<{ sealed: string; objectId: string | null }>;
      // The bootstrap key set (2 keys) and the two imported ones (2 keys each), all on the token.
      assert.equal(rows.length, 6);
      for (const row of rows) {
        assert.equal(row.sealed, '');
        assert.match(row.objectId ?? '', /^[0-9a-f]{32}$/);
      }
    } finally {
      database.close();
    }
    const files = [path, `${path}-wal`, `${path}-shm`].filter((file) => existsSync(file));
    assert.ok(files.includes(`${path}-wal`), 'the WAL is searched too');
    const contents = files.map((file) => readFileSync(file));
    for (const privateKey of imported) {
      for (const form of privateForms(privateKey)) {
        for (const [index, content] of contents.entries()) {
          assert.equal(content.includes(form), false, `private key material found in ${files[index]}`);
        }
      }
    }
    assert.equal(created.length, 2);
  });
});
