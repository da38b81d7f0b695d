import type { SurfaceDescriptor } from '../../surface-descriptor.ts';
import { auth0ErrorEnvelope } from './auth0-error-envelope.ts';
import { auth0Routes } from './auth0-routes.ts';

/** The Auth0 dialect: the Management API under `/api/v2`, whose identifier `{base}/api/v2/` is its tokens' audience. */
export const auth0Surface: SurfaceDescriptor = {
  name: 'auth0',
  scope: 'tenant',
  envelopes: { auth0: auth0ErrorEnvelope },
  prefixes: [{ prefix: '/api/v2/', envelope: 'auth0' }],
  managementAudience: { audienceFor: (tenantBaseUrl) => `${tenantBaseUrl}/api/v2/` },
  routes: auth0Routes,
};
