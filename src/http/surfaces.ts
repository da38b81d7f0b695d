import { auth0Surface } from './dialects/auth0/auth0-surface.ts';
import { oktaSurface } from './dialects/okta/okta-surface.ts';
import { oneLoginSurface } from './dialects/onelogin/onelogin-surface.ts';
import { nativeSurface } from './native/native-surface.ts';
import { opsSurface } from './ops/ops-surface.ts';
import { oauthSurface } from './public/oauth-surface.ts';
import type { SurfaceDescriptor } from './surface-descriptor.ts';
import { uiSurface } from './ui/ui-surface.ts';

/**
 * Every API surface, in registration order; the first one's envelope answers what no other claims.
 * Adding a surface is one folder with its descriptor and one line here
 * (src/http/dialects/shared/README.md).
 */
export const SURFACES: readonly SurfaceDescriptor[] = [
  nativeSurface,
  opsSurface,
  oauthSurface,
  uiSurface,
  oneLoginSurface,
  auth0Surface,
  oktaSurface,
];
