import { chmod, unlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Logger } from 'pino';
import { isSignetError } from '../errors.ts';
import { ERROR_TABLE } from '../http/error-table.ts';
import { claimSocketPath } from './claim-socket-path.ts';
import type { KubernetesSigner } from './create-kubernetes-signer.ts';

/** The proto of the ExternalJWTSigner contract, shared by the server and the tests' client. */
export const EXTERNAL_JWT_SIGNER_PROTO = fileURLToPath(new URL('./external-jwt-signer.proto', import.meta.url));

/** Loads the `v1.ExternalJWTSigner` service definition (field names as in the proto, int64 as numbers). */
export function loadExternalJwtSignerService(): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(EXTERNAL_JWT_SIGNER_PROTO, { keepCase: true, longs: Number, defaults: true });
  const v1 = grpc.loadPackageDefinition(definition).v1 as grpc.GrpcObject;
  return v1.ExternalJWTSigner as grpc.ServiceClientConstructor;
}

/** A served socket and its graceful stop. */
export interface RunningKubernetesSigner {
  path: string;
  stop(): Promise<void>;
}

export interface ServeKubernetesSignerOptions {
  path: string;
  signer: KubernetesSigner;
  logger: Logger;
  /** Counts one call per method and gRPC status name (signet_kubernetes_signer_calls_total). */
  observe: (method: string, code: string) => void;
}

/**
 * Serves the ExternalJWTSigner on a Unix socket created with mode 0600 (only its owner, the
 * kube-apiserver's user, may connect); a stale socket is replaced, a live one refused.
 */
export async function serveKubernetesSigner(options: ServeKubernetesSignerOptions): Promise<RunningKubernetesSigner> {
  const { path, signer, logger, observe } = options;
  await claimSocketPath(path);
  const server = new grpc.Server();
  server.addService(loadExternalJwtSignerService().service, {
    Sign: unary('Sign', observe, logger, async (request: { claims: string }) => {
      const { header, signature } = await signer.sign(request.claims);
      return { header, signature };
    }),
    FetchKeys: unary('FetchKeys', observe, logger, async (_request, metadata) => {
      const { keys, dataTimestamp, refreshHintSeconds } = signer.fetchKeys({
        userAgent: metadataText(metadata, 'user-agent') ?? '',
        name: metadataText(metadata, 'signet-consumer'),
      });
      return {
        keys: keys.map((key) => ({
          key_id: key.keyId,
          key: key.key,
          exclude_from_oidc_discovery: key.excludeFromOidcDiscovery,
        })),
        data_timestamp: { seconds: Math.floor(dataTimestamp / 1000), nanos: (dataTimestamp % 1000) * 1_000_000 },
        refresh_hint_seconds: refreshHintSeconds,
      };
    }),
    Metadata: unary('Metadata', observe, logger, async () => ({
      max_token_expiration_seconds: signer.metadata().maxTokenExpirationSeconds,
    })),
  });
  // The socket must never exist with looser permissions, not even between bind and chmod.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix:${path}`, grpc.ServerCredentials.createInsecure(), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  } finally {
    process.umask(umask);
  }
  await chmod(path, 0o600);
  let stopping: Promise<void> | null = null;
  return {
    path,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
        await unlink(path).catch(() => undefined);
      })();
      return stopping;
    },
  };
}

/** A unary handler: Signet errors of the caller's making answer INVALID_ARGUMENT with their message. */
function unary<Request, Response>(
  method: string,
  observe: (method: string, code: string) => void,
  logger: Logger,
  handle: (request: Request, metadata: grpc.Metadata) => Promise<Response>,
): grpc.handleUnaryCall<Request, Response> {
  return (call, callback) => {
    handle(call.request, call.metadata).then(
      (response) => {
        observe(method, 'OK');
        callback(null, response);
      },
      (error: unknown) => {
        const status = statusOf(error);
        observe(method, grpc.status[status]);
        if (status === grpc.status.INTERNAL) logger.error({ err: error, method }, 'kubernetes signer call failed');
        const details = isSignetError(error) && status !== grpc.status.INTERNAL ? error.message : 'internal error';
        callback({ code: status, details });
      },
    );
  };
}

/** The first text value of a metadata key, or null (a binary or empty value counts as none). */
function metadataText(metadata: grpc.Metadata, key: string): string | null {
  const value = metadata.get(key)[0];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The gRPC status of an error, derived from its HTTP status in the one error table. */
function statusOf(error: unknown): grpc.status {
  if (!isSignetError(error)) return grpc.status.INTERNAL;
  const status = ERROR_TABLE[error.code].status;
  if (status === 400 || status === 422) return grpc.status.INVALID_ARGUMENT;
  if (status === 403) return grpc.status.PERMISSION_DENIED;
  if (status === 404 || status === 503) return grpc.status.UNAVAILABLE;
  return grpc.status.INTERNAL;
}
