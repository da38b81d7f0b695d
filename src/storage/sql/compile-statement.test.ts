import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileStatement } from './compile-statement.ts';

describe('compileStatement', () => {
  const sql = 'SELECT * FROM keys WHERE key_set_id = :id AND (kid = :kid OR parent = :id) AND x::text = :kid';

  it('numbers each name once for PostgreSQL and binds the values in that order', () => {
    const compiled = compileStatement(sql, 'numbered');
    assert.equal(
      compiled.text,
      'SELECT * FROM keys WHERE key_set_id = $1 AND (kid = $2 OR parent = $1) AND x::text = $2',
    );
    assert.deepEqual(compiled.bind({ id: 'ks', kid: 'k1', unused: 'ignored' }), ['ks', 'k1']);
  });

  it('writes one ? per occurrence for SQLite and binds a value for each', () => {
    const compiled = compileStatement(sql, 'question');
    assert.equal(compiled.text, 'SELECT * FROM keys WHERE key_set_id = ? AND (kid = ? OR parent = ?) AND x::text = ?');
    assert.deepEqual(compiled.bind({ id: 'ks', kid: 'k1' }), ['ks', 'k1', 'ks', 'k1']);
  });

  it('binds null as a value and refuses a missing parameter', () => {
    const compiled = compileStatement('UPDATE t SET a = :a WHERE id = :id', 'numbered');
    assert.deepEqual(compiled.bind({ a: null, id: 1 }), [null, 1]);
    assert.throws(() => compiled.bind({ a: 1 }));
  });

  it('tells a write that returns rows from one that does not', () => {
    assert.equal(compileStatement('INSERT INTO t (a) VALUES (:a) RETURNING id', 'question').returnsRows, true);
    assert.equal(compileStatement('INSERT INTO t (a) VALUES (:a)', 'question').returnsRows, false);
  });
});
