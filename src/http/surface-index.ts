import type { ErrorEnvelope, SurfaceDescriptor } from './surface-descriptor.ts';
import { TENANT_PREFIX } from './tenant-prefix.ts';

/** The error envelopes of every surface, by name, and which one answers a request no route matched. */
export interface SurfaceIndex {
  /** The envelope named `name`; throws for a name no descriptor declares (a route's typo fails at start-up). */
  envelope(name: string): ErrorEnvelope;
  /** Learns one registered route (Fastify's `onRoute`), so an unmatched request on its path takes its envelope. */
  addRoute(url: string, envelope: string | undefined): void;
  /** The envelope of a request that matched no route or failed before routing, from its URL. */
  envelopeOfUrl(url: string): ErrorEnvelope;
  /** Every management audience of the surfaces, for one tenant base URL. */
  managementAudiences(tenantBaseUrl: string): string[];
}

/** Indexes `surfaces` (the list of src/http/surfaces.ts); the first descriptor's first envelope is the fallback. */
export function createSurfaceIndex(surfaces: readonly SurfaceDescriptor[]): SurfaceIndex {
  const envelopes = new Map<string, ErrorEnvelope>();
  for (const surface of surfaces)
    for (const [name, envelope] of Object.entries(surface.envelopes)) {
      if (envelopes.has(name)) throw new Error(`two surfaces declare the error envelope ${name}`);
      envelopes.set(name, envelope);
    }
  const envelope = (name: string): ErrorEnvelope => {
    const found = envelopes.get(name);
    if (!found) throw new Error(`no surface declares the error envelope ${name}`);
    return found;
  };
  const prefixes = surfaces
    .flatMap((surface) => surface.prefixes ?? [])
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map(({ prefix, envelope: name }) => ({ prefix, envelope: envelope(name) }));
  const fallback = envelope(Object.keys(surfaces[0]!.envelopes)[0]!);
  const routePaths = new Map<string, { pattern: RegExp; envelope: ErrorEnvelope }>();
  const audiences = surfaces.flatMap((surface) => (surface.managementAudience ? [surface.managementAudience] : []));
  return {
    envelope,
    addRoute(url, name) {
      // Tenant-scoped routes are registered at the root too; the tenant prefix is stripped before matching.
      if (name === undefined || url.startsWith(TENANT_PREFIX) || routePaths.has(url)) return;
      const escaped = url.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      const pattern = new RegExp(`^${escaped.replace(/:[^/]+/g, '[^/]+').replace(/\*/g, '.*')}$`);
      routePaths.set(url, { pattern, envelope: envelope(name) });
    },
    envelopeOfUrl(url) {
      const path = url.split('?')[0]!.replace(/^\/t\/[^/]+(?=\/)/, '');
      for (const route of routePaths.values()) if (route.pattern.test(path)) return route.envelope;
      for (const { prefix, envelope: found } of prefixes) if (path.startsWith(prefix)) return found;
      return fallback;
    },
    managementAudiences: (tenantBaseUrl) => [
      ...new Set(audiences.map((audience) => audience.audienceFor(tenantBaseUrl))),
    ],
  };
}
