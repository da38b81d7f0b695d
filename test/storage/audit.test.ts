import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEvent } from '../../src/domain/types.ts';
import type { AuditFilter } from '../../src/storage/store.ts';
import { storageDialects } from './dialects.ts';
import { makeAuditEvent, useHarness } from './fixtures.ts';

for (const dialect of storageDialects) {
  describe(`${dialect.name}: audit events`, () => {
    const harness = useHarness(dialect);

    it('appendAuditEvent returns increasing ids and round-trips every field', async () => {
      const { store } = harness();
      const full = makeAuditEvent('acme', {
        at: 123,
        actor: { type: 'apiToken', id: 'tok_1', tenantId: 'acme' },
        action: 'key.revoked',
        keySetId: 'ks_1',
        kid: 'k1',
        fromState: 'draining',
        toState: 'revoked',
        operation: 'revoke',
        sourceIp: '203.0.113.7',
        requestId: 'req-1',
        details: { reason: 'compromised', nested: { list: [1, 'two', null] }, flag: true },
      });
      const bare = makeAuditEvent('acme');
      const [first, second] = await store.transaction(async (tx) => [
        await tx.appendAuditEvent(full),
        await tx.appendAuditEvent(bare),
      ]);
      assert.ok(second! > first!);
      const events = await store.read((reader) => reader.listAuditEvents({ tenantId: 'acme', limit: 10 }));
      assert.deepEqual(events, [
        { id: second, ...bare },
        { id: first, ...full },
      ]);
    });

    it('filters by key set, kid, action, since, until and beforeId, newest first within the limit', async () => {
      const { store } = harness();
      const seeds = [
        makeAuditEvent('acme', { at: 100, action: 'key.generated', keySetId: 'ks_1', kid: 'k1' }),
        makeAuditEvent('acme', { at: 200, action: 'key.activated', keySetId: 'ks_1', kid: 'k1' }),
        makeAuditEvent('acme', { at: 300, action: 'key.generated', keySetId: 'ks_2', kid: 'k2' }),
        makeAuditEvent('globex', { at: 300, action: 'key.generated', keySetId: 'ks_1', kid: 'k1' }),
        makeAuditEvent('acme', { at: 400, action: 'key.draining', keySetId: 'ks_1', kid: 'k1' }),
        makeAuditEvent('acme', { at: 500, action: 'tenant.updated' }),
      ];
      const ids = await store.transaction(async (tx) => {
        const appended: number[] = [];
        for (const event of seeds) appended.push(await tx.appendAuditEvent(event));
        return appended;
      });
      const [e1, e2, e3, , e5, e6] = ids as [number, number, number, number, number, number];
      const list = (filter: Partial<AuditFilter>) =>
        store
          .read((reader) => reader.listAuditEvents({ tenantId: 'acme', limit: 100, ...filter }))
          .then((events: AuditEvent[]) => events.map((event) => event.id));

      assert.deepEqual(await list({}), [e6, e5, e3, e2, e1]);
      assert.deepEqual(await list({ keySetId: 'ks_1' }), [e5, e2, e1]);
      assert.deepEqual(await list({ kid: 'k2' }), [e3]);
      assert.deepEqual(await list({ action: 'key.generated' }), [e3, e1]);
      assert.deepEqual(await list({ excludeAction: 'key.generated' }), [e6, e5, e2]);
      assert.deepEqual(await list({ keySetId: 'ks_1', excludeAction: 'key.draining' }), [e2, e1]);
      assert.deepEqual(await list({ since: 200 }), [e6, e5, e3, e2]);
      assert.deepEqual(await list({ until: 300 }), [e2, e1]);
      assert.deepEqual(await list({ since: 200, until: 500 }), [e5, e3, e2]);
      assert.deepEqual(await list({ limit: 2 }), [e6, e5]);
      assert.deepEqual(await list({ limit: 2, beforeId: e5 }), [e3, e2]);
      assert.deepEqual(await list({ keySetId: 'ks_1', action: 'key.activated', kid: 'k1' }), [e2]);
      assert.deepEqual(await list({ tenantId: 'globex' }), [ids[3]]);
      assert.deepEqual(await list({ tenantId: 'nobody' }), []);
    });

    it('time and cursor bounds past any stored value, or fractional, filter as numbers do', async () => {
      const { store } = harness();
      const [early, late] = await store.transaction(async (tx) => [
        await tx.appendAuditEvent(makeAuditEvent('acme', { at: 100 })),
        await tx.appendAuditEvent(makeAuditEvent('acme', { at: 200 })),
      ]);
      const list = (filter: Partial<AuditFilter>) =>
        store
          .read((reader) => reader.listAuditEvents({ tenantId: 'acme', limit: 10, ...filter }))
          .then((events: AuditEvent[]) => events.map((event) => event.id));
      assert.deepEqual(await list({ since: 1e30 }), []);
      assert.deepEqual(await list({ until: 1e30, beforeId: 1e30 }), [late, early]);
      assert.deepEqual(await list({ since: -1e30, until: -1 }), []);
      assert.deepEqual(await list({ since: 100.5 }), [late]);
      assert.deepEqual(await list({ until: 200.5 }), [late, early]);
      assert.deepEqual(await list({ beforeId: late! - 0.5 }), [early]);
    });

    it('events cannot be updated or deleted, even with raw SQL', async () => {
      const { store, rawExec } = harness();
      const event = makeAuditEvent('acme', { action: 'key.revoked' });
      const id = await store.transaction((tx) => tx.appendAuditEvent(event));
      await assert.rejects(rawExec(`UPDATE audit_events SET action = 'key.activated' WHERE id = ${id}`));
      await assert.rejects(rawExec(`DELETE FROM audit_events WHERE id = ${id}`));
      await assert.rejects(rawExec('DELETE FROM audit_events'));
      assert.deepEqual(await store.read((reader) => reader.listAuditEvents({ tenantId: 'acme', limit: 10 })), [
        { id, ...event },
      ]);
    });
  });
}
