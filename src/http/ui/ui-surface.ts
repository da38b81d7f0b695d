import { nativeErrorEnvelope } from '../native/native-error-envelope.ts';
import type { SurfaceDescriptor } from '../surface-descriptor.ts';
import { uiRoutes } from './ui-routes.ts';

/** The dashboard at `{tenant base}/ui/`; a static client of the native API, so errors in its envelope. */
export const uiSurface: SurfaceDescriptor = {
  name: 'ui',
  scope: 'tenant',
  envelopes: { ui: nativeErrorEnvelope },
  prefixes: [{ prefix: '/ui/', envelope: 'ui' }],
  routes: uiRoutes,
};
