import { gzipSync } from 'node:zlib';
import type { Prng } from './create-prng.ts';
import {
  BAD_AUTHORIZATIONS,
  HOSTILE_FORMS,
  HOSTILE_JSON_TEXTS,
  HOSTILE_SEGMENTS,
  PATH_TRICKS,
  WRONG_TYPE_VALUES,
} from './hostile-values.ts';
import type { RouteEntry } from './list-routes.ts';
import type { RawRequest } from './send-raw.ts';
import { fieldsOf, sampleFromSchema, type BodySchema } from './sample-from-schema.ts';

/** The kinds of attack, each a column of the results. */
export const FUZZ_KINDS = [
  'plausible',
  'wrong-method',
  'hostile-json',
  'wrong-type',
  'huge-body',
  'huge-headers',
  'odd-encoding',
  'path-trick',
  'bad-credential',
  'hostile-form',
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

/** What the fuzzer knows of the target: real ids to put in paths, credentials, body schemas. */
export interface FuzzTargets {
  /** Real values by path parameter name (`keySetId`, `kid`, ...). */
  params: Record<string, string[]>;
  /** Tenant prefixes to address: '' (the default tenant), `/t/{id}`, unknown tenants. */
  prefixes: string[];
  adminAuthorization: string;
  /** JSON Schemas of native request bodies by `METHOD /path/:param`. */
  bodySchemas: Map<string, BodySchema>;
}

/** One request of the fuzzer, with what its answer is held to. */
export interface FuzzCase {
  kind: FuzzKind;
  route: string;
  request: RawRequest;
  /** The surface promises a JSON body (errors included). */
  expectsJson: boolean;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'CONNECT', 'FOO'];
const JSON_PREFIXES = ['/signet/v1', '/api/', '/oidc/2', '/oauth', '/.well-known', '/auth/oauth2'];

/** Draws one hostile request against `route`. */
export function buildFuzzCase(prng: Prng, route: RouteEntry, targets: FuzzTargets, kind: FuzzKind): FuzzCase {
  const prefix = prng.chance(0.7) ? '' : prng.pick(targets.prefixes);
  let path = prefix + fillPath(prng, route.path, targets, kind === 'path-trick' ? 0.5 : 0.1);
  const real = route.methods.filter((method) => method !== 'HEAD');
  let method = prng.pick(real.length > 0 ? real : route.methods);
  const headers: [string, string][] = [['authorization', targets.adminAuthorization]];
  const isToken = /token$/.test(route.path);
  const schema = targets.bodySchemas.get(`${method} ${route.path}`);
  let body: Buffer | undefined = plausibleBody(prng, method, schema, isToken, headers);
  let chunked = false;

  switch (kind) {
    case 'plausible':
      break;
    case 'wrong-method':
      method = prng.pick(METHODS.filter((m) => !route.methods.includes(m)).concat('HEAD'));
      break;
    case 'hostile-json':
      setHeader(headers, 'content-type', prng.pick(['application/json', 'application/json; charset=utf-8']));
      body = Buffer.from(prng.pick(HOSTILE_JSON_TEXTS));
      if (method === 'GET' || method === 'DELETE') method = prng.pick(['POST', 'PUT', 'PATCH', method]);
      break;
    case 'wrong-type': {
      setHeader(headers, 'content-type', 'application/json');
      const sample = schema ? sampleFromSchema(schema, prng) : {};
      const base = (sample && typeof sample === 'object' && !Array.isArray(sample) ? sample : {}) as Record<
        string,
        unknown
      >;
      const fields = schema ? fieldsOf(schema) : ['name', 'force', 'id', 'scopes', 'alg', 'kid'];
      const field = prng.pick(fields.length > 0 ? fields : ['name']);
      base[field] = prng.pick(WRONG_TYPE_VALUES);
      if (prng.chance(0.3)) base[`unknown${prng.int(100)}`] = prng.pick(WRONG_TYPE_VALUES);
      body = Buffer.from(JSON.stringify(prng.chance(0.1) ? [base] : base));
      break;
    }
    case 'huge-body': {
      setHeader(headers, 'content-type', isToken ? 'application/x-www-form-urlencoded' : 'application/json');
      const size = prng.pick([65 * 1024, 200 * 1024, 1024 * 1024]);
      body = Buffer.from(
        isToken ? `grant_type=client_credentials&x=${'a'.repeat(size)}` : `{"name":"${'a'.repeat(size)}"}`,
      );
      chunked = prng.chance(0.5);
      if (method === 'GET') method = 'POST';
      break;
    }
    case 'huge-headers':
      if (prng.chance(0.5)) headers.push(['x-soak', 'h'.repeat(prng.pick([8_000, 17_000, 70_000]))]);
      else for (let i = 0; i < prng.pick([100, 500, 2_000]); i += 1) headers.push([`x-soak-${i}`, String(i)]);
      if (prng.chance(0.3)) headers.push(['cookie', 'c='.concat('v'.repeat(20_000))]);
      break;
    case 'odd-encoding': {
      const text = body ?? Buffer.from('{"force":true}');
      if (method === 'GET' || method === 'HEAD') method = 'POST';
      switch (prng.int(7)) {
        case 0:
          setHeader(headers, 'content-encoding', 'gzip');
          body = text;
          break;
        case 1:
          setHeader(headers, 'content-encoding', prng.pick(['gzip', 'deflate', 'br', 'compress, gzip']));
          body = gzipSync(text);
          break;
        case 2:
          setHeader(
            headers,
            'content-type',
            prng.pick([
              'application/json; charset=utf-16le',
              'application/json; charset=latin1',
              'application/json;charset="utf-7"',
            ]),
          );
          body = Buffer.from(text.toString(), 'utf16le');
          break;
        case 3:
          setHeader(
            headers,
            'content-type',
            prng.pick([
              'text/plain',
              'multipart/form-data; boundary=x',
              'application/xml',
              'application/x-www-form-urlencoded',
              '*/*',
              'application/json, text/plain',
              'APPLICATION/JSON',
            ]),
          );
          body = text;
          break;
        case 4:
          body = text;
          chunked = true;
          break;
        case 5:
          // Content-Length and chunked at once: a request smuggling attempt.
          setHeader(headers, 'content-length', String(text.length + 5));
          body = text;
          chunked = true;
          break;
        default:
          setHeader(headers, 'content-type', 'application/json');
          body = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc0, 0xae, 0x80]), text]);
      }
      break;
    }
    case 'path-trick':
      path = prng.pick(PATH_TRICKS)(path);
      break;
    case 'bad-credential':
      setHeader(headers, 'authorization', prng.pick(BAD_AUTHORIZATIONS));
      if (prng.chance(0.2))
        headers.splice(
          headers.findIndex(([name]) => name === 'authorization'),
          1,
        );
      break;
    case 'hostile-form':
      method = 'POST';
      setHeader(headers, 'content-type', 'application/x-www-form-urlencoded');
      if (prng.chance(0.5)) setHeader(headers, 'authorization', prng.pick(BAD_AUTHORIZATIONS));
      else
        headers.splice(
          headers.findIndex(([name]) => name === 'authorization'),
          1,
        );
      body = Buffer.from(prng.pick(HOSTILE_FORMS));
      break;
  }
  // A request target with a raw NUL or control byte now and then, which only the HTTP parser sees.
  const target = kind === 'path-trick' && prng.chance(0.1) ? Buffer.from(`${path}\u0000x`, 'latin1') : path;
  return {
    kind,
    route: route.path,
    request: { method, target, headers, ...(body ? { body } : {}), ...(chunked ? { chunked } : {}) },
    expectsJson: method !== 'HEAD' && JSON_PREFIXES.some((p) => route.path.startsWith(p)),
  };
}

/**
 * One wrong-type request per field of every native request body schema (the random draw of
 * `wrong-type` reaches every field only eventually): the rest of the body plausible, real ids in
 * the path, the admin credential, so the field's own validation is what answers.
 */
export function buildWrongTypeCases(prng: Prng, targets: FuzzTargets): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const [operation, schema] of targets.bodySchemas) {
    const [method = 'POST', route = '/'] = operation.split(' ');
    for (const field of fieldsOf(schema)) {
      const sample = sampleFromSchema(schema, prng);
      const body = (sample && typeof sample === 'object' && !Array.isArray(sample) ? sample : {}) as Record<
        string,
        unknown
      >;
      body[field] = prng.pick(WRONG_TYPE_VALUES);
      cases.push({
        kind: 'wrong-type',
        route,
        request: {
          method,
          target: fillPath(prng, route, targets, 0),
          headers: [
            ['authorization', targets.adminAuthorization],
            ['content-type', 'application/json'],
          ],
          body: Buffer.from(JSON.stringify(body)),
        },
        expectsJson: true,
      });
    }
  }
  return cases;
}

function fillPath(prng: Prng, template: string, targets: FuzzTargets, hostileShare: number): string {
  return template
    .split('/')
    .map((segment) => {
      if (segment === '*') return prng.pick(['app.js', 'index.html', '..%2f..%2fpackage.json', 'x'.repeat(500)]);
      if (!segment.startsWith(':')) return segment;
      const known = targets.params[segment.slice(1)] ?? [];
      return known.length > 0 && !prng.chance(hostileShare)
        ? encodeURIComponent(prng.pick(known))
        : prng.pick(HOSTILE_SEGMENTS);
    })
    .join('/');
}

function plausibleBody(
  prng: Prng,
  method: string,
  schema: BodySchema | undefined,
  isToken: boolean,
  headers: [string, string][],
): Buffer | undefined {
  if (isToken) {
    headers.push(['content-type', 'application/x-www-form-urlencoded']);
    return Buffer.from('grant_type=client_credentials');
  }
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return undefined;
  headers.push(['content-type', 'application/json']);
  return Buffer.from(JSON.stringify(schema ? sampleFromSchema(schema, prng) : {}));
}

function setHeader(headers: [string, string][], name: string, value: string): void {
  const index = headers.findIndex(([existing]) => existing === name);
  if (index >= 0) headers[index] = [name, value];
  else headers.push([name, value]);
}
