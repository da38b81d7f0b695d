/**
 * The signing route below the native API's prefix (src/http/native/native-surface.ts). Fastify's
 * route (sign-routes.ts) and the fast sign path (create-fast-sign-handler.ts) both take it from
 * here, so they match the same paths and record the same metric route label.
 */
export const SIGN_PATH = '/authorization-servers/:authorizationServerId/sign';
