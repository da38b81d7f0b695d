import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { createReadinessRecorder } from './create-readiness-recorder.ts';
import type { JwksDocument } from './serialize-jwks.ts';

/** A real IncomingMessage as node:http builds it, over an unconnected socket. */
function request(url: string, headers: Record<string, string>): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.url = url;
  message.headers = headers;
  return message;
}

const document = (nextKid: string | null): JwksDocument => ({
  body: Buffer.from('{"keys":[]}'),
  etag: '"x"',
  nextChangeAt: null,
  jwksMaxAgeSeconds: 3600,
  keySets: [{ keySetId: 'ks_1', nextKid }],
});

describe('createReadinessRecorder', () => {
  test('holds at most the cap per key set, evicting the least recently fetched and counting it', () => {
    const recorder = createReadinessRecorder({ maxConsumersPerKeySet: 2, trustProxy: false });
    recorder.record(request('/', { 'user-agent': 'a' }), document('n'), 1);
    recorder.record(request('/', { 'user-agent': 'b' }), document('n'), 2);
    recorder.record(request('/', { 'user-agent': 'a' }), document('n'), 3); // a is now the most recent
    recorder.record(request('/', { 'user-agent': 'c' }), document('n'), 4);
    assert.equal(recorder.size(), 2);
    assert.equal(recorder.evictedCount(), 1);
    assert.deepEqual(
      recorder
        .takeChanged()
        .map((s) => s.userAgent)
        .sort(),
      ['a', 'c'],
    );
  });

  test('hands over only what changed since the last take, with the latest counts and next kid', () => {
    const recorder = createReadinessRecorder({ maxConsumersPerKeySet: 10, trustProxy: false });
    recorder.record(request('/', { 'user-agent': 'a' }), document('n1'), 1);
    recorder.record(request('/', { 'user-agent': 'b' }), document('n1'), 1);
    assert.equal(recorder.takeChanged().length, 2);
    assert.deepEqual(recorder.takeChanged(), []);
    recorder.record(request('/', { 'user-agent': 'a' }), document('n2'), 5);
    const [a] = recorder.takeChanged();
    assert.deepEqual([a!.firstSeenAt, a!.lastFetchAt, a!.fetchCount, a!.nextKidSeen], [1, 5, 2, 'n2']);
  });

  test('requests on one keep-alive connection are one consumer until their User-Agent or name changes', () => {
    const recorder = createReadinessRecorder({ maxConsumersPerKeySet: 10, trustProxy: false });
    const socket = new Socket();
    const on = (url: string, headers: Record<string, string>) => {
      const message = new IncomingMessage(socket);
      message.url = url;
      message.headers = headers;
      return message;
    };
    recorder.record(on('/', { 'user-agent': 'a' }), document('n'), 1);
    recorder.record(on('/', { 'user-agent': 'a' }), document('n'), 2);
    recorder.record(on('/', { 'user-agent': 'b' }), document('n'), 3);
    recorder.record(on('/?consumer=x', { 'user-agent': 'b' }), document('n'), 4);
    recorder.record(on('/', { 'user-agent': 'b', 'signet-consumer': 'y' }), document('n'), 5);
    assert.deepEqual(
      recorder.takeChanged().map((s) => [s.name, s.userAgent, s.fetchCount]),
      [
        [null, 'a', 2],
        [null, 'b', 1],
        ['x', 'b', 1],
        ['y', 'b', 1],
      ],
    );
  });

  test('names a consumer by header or query, takes X-Forwarded-For only behind a trusted proxy, and caps what a client sends', () => {
    const trusting = createReadinessRecorder({ maxConsumersPerKeySet: 10, trustProxy: true });
    const headers = { 'user-agent': 'x'.repeat(10_000), 'x-forwarded-for': '203.0.113.7, 10.0.0.1' };
    trusting.record(request('/.well-known/jwks.json?consumer=billing', headers), document('n'), 1);
    trusting.record(
      request('/', { 'signet-consumer': 'payments', 'x-forwarded-for': '203.0.113.8' }),
      document('n'),
      1,
    );
    const [billing, payments] = trusting.takeChanged();
    assert.deepEqual([billing!.name, billing!.address, billing!.userAgent.length], ['billing', '203.0.113.7', 256]);
    assert.deepEqual([payments!.name, payments!.address, payments!.userAgent], ['payments', '203.0.113.8', '']);
    const direct = createReadinessRecorder({ maxConsumersPerKeySet: 10, trustProxy: false });
    direct.record(request('/', { 'x-forwarded-for': '203.0.113.7' }), document('n'), 1);
    assert.notEqual(direct.takeChanged()[0]!.address, '203.0.113.7');
  });
});
