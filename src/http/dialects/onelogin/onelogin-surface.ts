import type { SurfaceDescriptor } from '../../surface-descriptor.ts';
import { oneLoginErrorEnvelope, oneLoginTokenErrorEnvelope } from './onelogin-error-envelope.ts';
import { oneLoginRoutes } from './onelogin-routes.ts';

/**
 * The OneLogin dialect: the OIDC v2 signing-key API under `/oidc/2` and Generate Token v2, whose
 * errors use OneLogin's older `{error, code, type, message}` model (`onelogin-token`). Its tokens'
 * audience is `{base}/api/2`, the root of its v2 API (they are opaque to OneLogin's callers, so
 * any stable name serves).
 */
export const oneLoginSurface: SurfaceDescriptor = {
  name: 'onelogin',
  scope: 'tenant',
  envelopes: { onelogin: oneLoginErrorEnvelope, 'onelogin-token': oneLoginTokenErrorEnvelope },
  prefixes: [{ prefix: '/oidc/2/', envelope: 'onelogin' }],
  managementAudience: { audienceFor: (tenantBaseUrl) => `${tenantBaseUrl}/api/2` },
  routes: oneLoginRoutes,
};
