import { cacheControlModel } from './cache-control-model.ts';
import { goOidcModel } from './go-oidc-model.ts';
import { joseModel } from './jose-model.ts';
import { jwksRsaModel } from './jwks-rsa-model.ts';
import { microsoftIdentityModelModel } from './microsoft-identitymodel-model.ts';
import { pyjwtModel } from './pyjwt-model.ts';
import { springNimbusModel } from './spring-nimbus-model.ts';
import type { VerifierModel } from './verifier-model.ts';

/** Every modelled library with its default settings, in the order the simulator answers. */
export function defaultVerifierModels(): VerifierModel[] {
  return [
    joseModel(),
    jwksRsaModel(),
    pyjwtModel(),
    microsoftIdentityModelModel(),
    springNimbusModel(),
    goOidcModel(),
    cacheControlModel(),
  ];
}
