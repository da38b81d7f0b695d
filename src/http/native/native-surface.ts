import { NATIVE_MANAGEMENT_AUDIENCE } from '../../config/defaults.ts';
import type { SurfaceDescriptor } from '../surface-descriptor.ts';
import { nativeErrorEnvelope } from './native-error-envelope.ts';
import { nativeRoutes } from './native-routes.ts';

/** The native management API's prefix below a tenant base (the CLI's api-client.ts mirrors it; a test checks). */
export const NATIVE_PREFIX = '/signet/v1';

/** The native management API; its envelope also answers every path no other surface claims. */
export const nativeSurface: SurfaceDescriptor = {
  name: 'native',
  scope: 'tenant',
  mount: NATIVE_PREFIX,
  envelopes: { native: nativeErrorEnvelope },
  prefixes: [{ prefix: '/', envelope: 'native' }],
  managementAudience: { audienceFor: () => NATIVE_MANAGEMENT_AUDIENCE },
  routes: nativeRoutes,
};
