import { createTestContext } from '../../helpers/create-test-context.ts';

/** One route of the HTTP application: a path template (`:name` parameters, `*` wildcard) and its methods. */
export interface RouteEntry {
  path: string;
  methods: string[];
}

/**
 * Every route the real application registers (native, public, dialect, ops, dashboard), read from
 * Fastify's own route table of an in-process app, so a route added anywhere is fuzzed without
 * anyone listing it here. Routes under the `/t/:addressedTenant` prefix are left out: the fuzzer
 * addresses tenants itself.
 */
export async function listRoutes(): Promise<RouteEntry[]> {
  const context = await createTestContext();
  try {
    await context.app.ready();
    return parseRouteTree(context.app.printRoutes({ commonPrefix: false })).filter(
      (route) => !route.path.startsWith('/t/:addressedTenant'),
    );
  } finally {
    await context.close();
  }
}

/** Parses the tree `printRoutes({ commonPrefix: false })` prints: each line a path suffix under its parent, with methods. */
export function parseRouteTree(tree: string): RouteEntry[] {
  const routes: RouteEntry[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = line.match(/^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([^)]*)\))?$/);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const segment = match[2]!;
    const path = `${stack[depth - 1] ?? ''}${segment}`;
    stack[depth] = path;
    if (match[3]) routes.push({ path, methods: match[3].split(', ') });
  }
  return routes;
}
