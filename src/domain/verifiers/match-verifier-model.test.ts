import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchVerifierModel } from './match-verifier-model.ts';
import { defaultVerifierModels, verifierModelFor } from './verifier-models.ts';

test('matchVerifierModel maps the User-Agent each library sends by default to its model', () => {
  const cases: Array<[string | null, string | null]> = [
    ['jose/v6.2.17', 'jose'],
    ['Python-urllib/3.11', 'pyjwt'],
    ['PyJWT/2.10.1', 'pyjwt'],
    ['Go-http-client/1.1', 'go-oidc'],
    ['Java/21.0.2', 'spring-nimbus'],
    ['ReactorNetty/1.1.17', 'spring-nimbus'],
    ['Nimbus-JOSE-JWT/9.37', 'spring-nimbus'],
    ['Microsoft.IdentityModel.Protocols/8.0.1', 'microsoft-identitymodel'],
    ['my-api (jwks-rsa)', 'jwks-rsa'],
    ['Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0', 'cache-control'],
    ['curl/8.5.0', null],
    ['', null],
    [null, null],
  ];
  for (const [userAgent, library] of cases) assert.equal(matchVerifierModel(userAgent), library, String(userAgent));
});

test('every library a User-Agent can match has a model to simulate it with', () => {
  for (const { library } of defaultVerifierModels()) assert.equal(verifierModelFor(library).library, library);
  assert.equal(verifierModelFor(matchVerifierModel('jose/v6.2.17')!).library, 'jose');
});
