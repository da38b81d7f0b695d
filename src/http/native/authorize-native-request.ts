import type { Scope } from '../../domain/types.ts';
import { authorize, type Principal } from '../../services/authorize.ts';
import {
  authenticate,
  type AuthenticateOptions,
  type CredentialRequest,
  type ManagementAudience,
} from '../authenticate.ts';

/**
 * The native API's guard of a route that needs `scope`: authenticates the credential presented
 * (src/http/authenticate.ts) and checks its tenant and scope (src/services/authorize.ts). The
 * native plugin's preHandler and the fast sign path (create-fast-sign-handler.ts) both call it.
 */
export async function authorizeNativeRequest(
  request: CredentialRequest,
  options: AuthenticateOptions,
  audience: ManagementAudience,
  scope: Scope,
): Promise<Principal> {
  const principal = await authenticate(request, options, audience);
  authorize(principal, request.tenant.id, scope);
  return principal;
}
