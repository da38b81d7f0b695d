import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSignetError } from '../errors.ts';
import { loadServeConfig } from './load-config.ts';

describe('loadServeConfig', () => {
  test('uses the documented defaults on an empty environment', () => {
    const config = loadServeConfig([], {});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, './signet-data');
    assert.equal(config.baseUrl, 'http://127.0.0.1:8080');
    assert.equal(config.databaseUrl, null);
    assert.equal(config.databasePoolSize, 10);
    assert.equal(config.databaseConnectTimeoutSeconds, 5);
    assert.equal(config.databaseStatementTimeoutSeconds, 10);
    assert.equal(config.databaseLockTimeoutSeconds, 5);
    assert.equal(config.trustProxy, false);
    assert.deepEqual(config.bootstrap, { clientId: null, clientSecret: null, apiToken: null });
  });

  test('flags win over SIGNET_* variables, which win over defaults', () => {
    const env = {
      SIGNET_PORT: '9000',
      SIGNET_HOST: '0.0.0.0',
      SIGNET_DATA_DIR: '/env',
      SIGNET_TRUST_PROXY: 'true',
      SIGNET_BOOTSTRAP_CLIENT_ID: 'ci',
    };
    const fromEnv = loadServeConfig([], env);
    assert.equal(fromEnv.port, 9000);
    assert.equal(fromEnv.baseUrl, 'http://localhost:9000', 'a wildcard host gets a reachable base URL');
    assert.equal(fromEnv.trustProxy, true);
    assert.equal(fromEnv.bootstrap.clientId, 'ci');
    const fromFlags = loadServeConfig(
      ['--port', '9100', '--data-dir', '/flag', '--base-url', 'https://id.example.com/'],
      env,
    );
    assert.equal(fromFlags.port, 9100);
    assert.equal(fromFlags.dataDir, '/flag');
    assert.equal(fromFlags.baseUrl, 'https://id.example.com', 'no trailing slash in issuers');
    const database = {
      SIGNET_DATABASE_URL: 'postgres://env-host/signet',
      SIGNET_DATABASE_POOL_SIZE: '4',
      SIGNET_DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
      SIGNET_DATABASE_STATEMENT_TIMEOUT_SECONDS: '3',
      SIGNET_DATABASE_LOCK_TIMEOUT_SECONDS: '1',
    };
    const fromDatabaseEnv = loadServeConfig([], database);
    assert.equal(fromDatabaseEnv.databaseUrl, 'postgres://env-host/signet');
    assert.equal(fromDatabaseEnv.databasePoolSize, 4);
    assert.equal(fromDatabaseEnv.databaseConnectTimeoutSeconds, 2);
    assert.equal(fromDatabaseEnv.databaseStatementTimeoutSeconds, 3);
    assert.equal(fromDatabaseEnv.databaseLockTimeoutSeconds, 1);
    assert.equal(
      loadServeConfig(['--database-url', 'postgresql://flag-host/signet'], database).databaseUrl,
      'postgresql://flag-host/signet',
    );
  });

  test('refuses bad values with a usage error naming the option', () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['--port', 'eighty'], {}, 'port'],
      [['--port', '70000'], {}, 'port'],
      [['--base-url', 'not a url'], {}, 'base-url'],
      [['--base-url', 'ftp://x'], {}, 'base-url'],
      [['--database-url', 'mysql://x'], {}, 'database-url'],
      [[], { SIGNET_TRUST_PROXY: 'maybe' }, 'SIGNET_TRUST_PROXY'],
      [[], { SIGNET_BODY_LIMIT_BYTES: '10' }, 'SIGNET_BODY_LIMIT_BYTES'],
      [[], { SIGNET_DATABASE_POOL_SIZE: '0' }, 'SIGNET_DATABASE_POOL_SIZE'],
      [[], { SIGNET_DATABASE_CONNECT_TIMEOUT_SECONDS: 'soon' }, 'SIGNET_DATABASE_CONNECT_TIMEOUT_SECONDS'],
    ];
    for (const [argv, env, field] of cases) {
      assert.throws(
        () => loadServeConfig(argv, env),
        (error) =>
          isSignetError(error, 'ERR_VALIDATION') &&
          (error.details?.fields as string[] | undefined)?.includes(field) === true,
        `${argv.join(' ')} ${JSON.stringify(env)}`,
      );
    }
    assert.throws(() => loadServeConfig(['--unknown'], {}), /unknown/i);
  });
});
