import { cacheControlModel } from './cache-control-model.ts';
import { goOidcModel } from './go-oidc-model.ts';
import { joseModel } from './jose-model.ts';
import { jwksRsaModel } from './jwks-rsa-model.ts';
import { microsoftIdentityModelModel } from './microsoft-identitymodel-model.ts';
import { pyjwtModel } from './pyjwt-model.ts';
import { springNimbusModel } from './spring-nimbus-model.ts';
import type { VerifierLibrary, VerifierModel } from './verifier-model.ts';

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

/** The default model of one library: what a consumer matched by User-Agent (matchVerifierModel) is simulated with. */
export function verifierModelFor(library: VerifierLibrary): VerifierModel {
  const model = defaultVerifierModels().find((candidate) => candidate.library === library);
  if (!model) throw new Error(`no verifier model for ${library}`);
  return model;
}
