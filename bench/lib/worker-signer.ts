// The worker-thread alternative to libuv's pool, kept for `bench/sign-offload-cost.ts`: RSA
// signatures on N worker threads, each holding the KeyObject (sent once), one message per signature.
import { sign, type KeyObject } from 'node:crypto';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

interface SignRequest {
  id: number;
  key?: KeyObject;
  data: Uint8Array;
}

if (!isMainThread) {
  let key: KeyObject | undefined;
  parentPort!.on('message', (message: SignRequest) => {
    if (message.key) key = message.key;
    parentPort!.postMessage({ id: message.id, signature: sign('sha256', message.data, key!) });
  });
}

/** Creates an RS256 signer over `threads` workers; `close` ends them. */
export function createWorkerSigner(privateKey: KeyObject, threads: number) {
  const waiting = new Map<number, (signature: Buffer) => void>();
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(new URL(import.meta.url));
    const entry = { worker, pending: 0, keyed: false };
    worker.on('message', (message: { id: number; signature: Uint8Array }) => {
      entry.pending -= 1;
      waiting.get(message.id)!(Buffer.from(message.signature));
      waiting.delete(message.id);
    });
    return entry;
  });
  let nextId = 0;
  return {
    sign(data: Buffer): Promise<Buffer> {
      const entry = workers.reduce((best, candidate) => (candidate.pending < best.pending ? candidate : best));
      const id = (nextId += 1);
      entry.pending += 1;
      const first = !entry.keyed;
      entry.keyed = true;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        entry.worker.postMessage({ id, data, ...(first ? { key: privateKey } : {}) });
      });
    },
    close: () => Promise.all(workers.map(({ worker }) => worker.terminate())),
  };
}
