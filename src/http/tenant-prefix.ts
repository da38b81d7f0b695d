/**
 * The prefix under which every tenant-scoped route is registered a second time (docs/spec.md §5);
 * its parameter has its own name so a route's own `:tenantId` is never taken for it.
 */
export const TENANT_PREFIX = '/t/:addressedTenant';
