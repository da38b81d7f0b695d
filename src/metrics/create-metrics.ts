import { Counter, Gauge, Histogram, Registry as PromRegistry, collectDefaultMetrics } from 'prom-client';
import { isExecuted } from '../domain/compute-schedule.ts';
import type { KeyState } from '../domain/types.ts';
import type { Registry } from '../runtime/create-registry.ts';
import type { SignatureEntry } from '../services/signature-ledger.ts';
import type { ReadinessService } from '../services/create-readiness-service.ts';
import type { Store } from '../storage/store.ts';

const STATES: readonly KeyState[] = ['next', 'active', 'draining'];

/**
 * Prometheus metrics; lifecycle gauges are computed from the in-memory registry at scrape time.
 * `credentialLabels` bounds the credentials `signet_signatures_total` names (the rest are `other`).
 */
export function createMetrics({
  registry,
  now,
  readiness,
  store,
  credentialLabels = 500,
}: {
  registry: Registry;
  now: () => number;
  /** Verifier readiness: this instance's recorder and the readiness last read per key set. */
  readiness?: Pick<ReadinessService, 'recorder' | 'lastRead'>;
  /** Where the webhook outbox gauges are read at scrape time; absent, they are not exported. */
  store?: Store;
  credentialLabels?: number;
}) {
  const prom = new PromRegistry();
  collectDefaultMetrics({ register: prom, prefix: 'signet_process_' });

  new Gauge({
    name: 'signet_keys',
    help: 'Published keys per key set and state',
    labelNames: ['tenant', 'key_set', 'state'],
    registers: [prom],
    collect() {
      this.reset();
      for (const view of registry.listKeySetViews()) {
        for (const state of STATES) {
          this.set(
            { tenant: view.keySet.tenantId, key_set: view.keySet.id, state },
            view.keys.filter((key) => key.state === state).length,
          );
        }
      }
    },
  });
  new Gauge({
    name: 'signet_next_transition_seconds',
    help: 'Seconds until the next scheduled transition of a key set (negative when overdue)',
    labelNames: ['tenant', 'key_set', 'action'],
    registers: [prom],
    collect() {
      this.reset();
      const at = now();
      for (const view of registry.listKeySetViews()) {
        const next = view.schedule.find(isExecuted);
        if (next)
          this.set(
            { tenant: view.keySet.tenantId, key_set: view.keySet.id, action: next.action },
            (next.at - at) / 1000,
          );
      }
    },
  });
  new Gauge({
    name: 'signet_certificate_expiry_seconds',
    help: "Seconds until each published key's certificate expires",
    labelNames: ['tenant', 'key_set', 'kid', 'state'],
    registers: [prom],
    collect() {
      this.reset();
      const at = now();
      for (const view of registry.listKeySetViews()) {
        for (const key of view.keys) {
          this.set(
            { tenant: view.keySet.tenantId, key_set: view.keySet.id, kid: key.kid, state: key.state },
            (key.certificateNotAfter - at) / 1000,
          );
        }
      }
    },
  });
  if (readiness) {
    new Gauge({
      name: 'signet_readiness_consumers',
      help: 'JWKS consumers of a key set seen in its readiness window, and how many hold the next key (as of the last readiness read)',
      labelNames: ['tenant', 'key_set', 'ready'],
      registers: [prom],
      collect() {
        this.reset();
        for (const read of readiness.lastRead()) {
          const labels = { tenant: read.tenantId, key_set: read.readiness.keySetId };
          this.set({ ...labels, ready: 'true' }, read.readiness.readyCount);
          this.set({ ...labels, ready: 'false' }, read.readiness.consumerCount - read.readiness.readyCount);
        }
      },
    });
    new Gauge({
      name: 'signet_readiness_tracked_consumers',
      help: 'JWKS consumers this instance holds in memory, over every key set',
      registers: [prom],
      collect() {
        this.set(readiness.recorder.size());
      },
    });
    new Gauge({
      name: 'signet_readiness_evicted_consumers',
      help: 'JWKS consumers this instance evicted since it started because a key set reached SIGNET_READINESS_MAX_CONSUMERS',
      registers: [prom],
      collect() {
        this.set(readiness.recorder.evictedCount());
      },
    });
  }
  const tokensSigned = new Counter({
    name: 'signet_tokens_signed_total',
    help: 'Access tokens signed, per kid',
    labelNames: ['kid'],
    registers: [prom],
  });
  const kubernetesCalls = new Counter({
    name: 'signet_kubernetes_signer_calls_total',
    help: 'Calls of the Kubernetes ExternalJWTSigner socket (Sign, FetchKeys, Metadata) by gRPC status',
    labelNames: ['method', 'code'],
    registers: [prom],
  });
  // Per credential, not per kid x credential: the series grow with the sum of kids and
  // credentials, not their product, and the credential label is capped (docs/design-notes.md).
  // Counted in plain maps and handed to prom-client at scrape time: its labelled inc costs
  // microseconds (it hashes the labels each time), more than the ledger's own count.
  const signaturesBySurface = new Map<string, Map<string, { count: number }>>();
  new Counter({
    name: 'signet_signatures_total',
    help: 'Signatures made (signing API and token endpoints), per credential and surface',
    labelNames: ['credential', 'surface'],
    registers: [prom],
    collect() {
      this.reset();
      for (const [surface, byCredential] of signaturesBySurface)
        for (const [credential, { count }] of byCredential) this.inc({ credential, surface }, count);
    },
  });
  const requests = new Histogram({
    name: 'signet_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [prom],
  });

  const webhookAttempts = new Counter({
    name: 'signet_webhook_deliveries_total',
    help: 'Webhook delivery attempts by this instance, by outcome (delivered or failed)',
    labelNames: ['outcome'],
    registers: [prom],
  });
  const webhookLatency = new Histogram({
    name: 'signet_webhook_delivery_duration_seconds',
    help: 'Time from sending a webhook to its answer (or the timeout)',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [prom],
  });
  if (store) {
    new Gauge({
      name: 'signet_webhook_events_written_total',
      help: 'Lifecycle events written to the outbox, by every instance (the outbox sequence)',
      registers: [prom],
      async collect() {
        // A scrape during a database outage keeps the last value rather than failing /metrics.
        await store
          .read((reader) => reader.countWebhookEvents())
          .then((value) => this.set(value))
          .catch(() => undefined);
      },
    });
    new Gauge({
      name: 'signet_webhook_outbox_depth',
      help: 'Webhook deliveries not yet delivered nor given up',
      registers: [prom],
      async collect() {
        await store
          .read((reader) => reader.countPendingWebhookDeliveries())
          .then((value) => this.set(value))
          .catch(() => undefined);
      },
    });
  }

  // Labelled children are kept per label set: prom-client then skips building and checking the
  // label object on each call (it still hashes it), about a third of an observe on the hot path.
  const signedByKid = new Map<string, ReturnType<typeof tokensSigned.labels>>();
  const requestsByLabels = new Map<string, ReturnType<typeof requests.labels>>();
  const labelledCredentials = new Set<string>();

  return {
    /** Counts one token signed with `kid`. */
    tokenSigned: (kid: string): void => {
      let child = signedByKid.get(kid);
      if (!child) signedByKid.set(kid, (child = tokensSigned.labels({ kid })));
      child.inc();
    },
    /** Counts one call of the Kubernetes signer socket and its gRPC status name. */
    kubernetesCall: (method: string, code: string): void => {
      kubernetesCalls.inc({ method, code });
    },
    /** Counts one signature per credential (the ledger's `onRecorded`). */
    signatureRecorded: (entry: SignatureEntry): void => {
      let credential = entry.credentialId;
      if (!labelledCredentials.has(credential)) {
        if (labelledCredentials.size < credentialLabels) labelledCredentials.add(credential);
        else credential = 'other';
      }
      // Nested maps over the strings the entry holds: no label key is built per signature.
      let byCredential = signaturesBySurface.get(entry.surface);
      if (!byCredential) signaturesBySurface.set(entry.surface, (byCredential = new Map()));
      const counted = byCredential.get(credential);
      if (counted) counted.count += 1;
      else byCredential.set(credential, { count: 1 });
    },
    /** Records one HTTP request (its count is the histogram's `_count`). */
    observeRequest: (method: string, route: string, status: number, seconds: number): void => {
      const key = `${method} ${status} ${route}`;
      let child = requestsByLabels.get(key);
      if (!child) requestsByLabels.set(key, (child = requests.labels({ method, route, status: String(status) })));
      child.observe(seconds);
    },
    /** Records one webhook delivery attempt and how long its receiver took. */
    webhookAttempted: (outcome: 'delivered' | 'failed', seconds: number): void => {
      webhookAttempts.inc({ outcome });
      webhookLatency.observe(seconds);
    },
    contentType: prom.contentType,
    render: (): Promise<string> => prom.metrics(),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
