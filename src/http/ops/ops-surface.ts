import { nativeErrorEnvelope } from '../native/native-error-envelope.ts';
import type { SurfaceDescriptor } from '../surface-descriptor.ts';
import { opsRoutes } from './ops-routes.ts';

/** Liveness, readiness and metrics, at the root only; errors in the native envelope. */
export const opsSurface: SurfaceDescriptor = {
  name: 'ops',
  scope: 'root',
  envelopes: { ops: nativeErrorEnvelope },
  routes: opsRoutes,
};
