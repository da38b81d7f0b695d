import { nativeErrorEnvelope } from '../native/native-error-envelope.ts';
import type { SurfaceDescriptor } from '../surface-descriptor.ts';
import { oauthErrorEnvelope } from './oauth-error-envelope.ts';
import { publicRoutes } from './public-routes.ts';

/**
 * The OAuth / OpenID surface of every authorization server: discovery, RFC 8414 metadata, JWKS
 * (`public`, errors in the native envelope) and the token endpoints (`oauth`, RFC 6749 §5.2; the
 * vendor token endpoints of Okta and OneLogin's `/oidc/2/token` name it too). Its route patterns
 * are in public-paths.ts, shared with the fast paths.
 */
export const oauthSurface: SurfaceDescriptor = {
  name: 'oauth',
  scope: 'tenant',
  envelopes: { public: nativeErrorEnvelope, oauth: oauthErrorEnvelope },
  routes: publicRoutes,
};
