import type { Algorithm, RsaModulusLength } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { generateKeyPair, type KeyPair } from './generate-key-pair.ts';

/** Pre-generated key pairs, so a rotation never waits for RSA key generation (SPEC §2, rotate). */
export interface KeyMaterialPool {
  /** A spare key pair at once when one is ready, otherwise the next one generated. */
  take(alg: Algorithm, rsaModulusLength: RsaModulusLength | null): Promise<KeyPair>;
  /** Starts filling the spares for this algorithm without taking one. */
  warm(alg: Algorithm, rsaModulusLength: RsaModulusLength | null): void;
  /** Stops refilling and drops the spares; takes still work, generating on demand. */
  close(): void;
}

export interface KeyMaterialPoolOptions {
  /** Spares kept per (algorithm, modulus); default 1. */
  spares?: number;
  generate?: typeof generateKeyPair;
}

interface Waiter {
  resolve(pair: KeyPair): void;
  reject(error: unknown): void;
}

interface Slot {
  alg: Algorithm;
  rsaModulusLength: RsaModulusLength | undefined;
  spares: KeyPair[];
  inFlight: number;
  /** Takes that found no spare and wait for the next generation to finish. */
  waiters: Waiter[];
}

/** Creates a pool that keeps `spares` key pairs per (algorithm, modulus), generated off the event loop. */
export function createKeyMaterialPool(options: KeyMaterialPoolOptions = {}): KeyMaterialPool {
  const target = options.spares ?? 1;
  if (!Number.isInteger(target) || target < 0) throw new SignetError('ERR_VALIDATION', 'spares must be a non-negative integer');
  const generate = options.generate ?? generateKeyPair;
  const slots = new Map<string, Slot>();
  let closed = false;

  function slotFor(alg: Algorithm, rsaModulusLength: RsaModulusLength | null): Slot {
    const modulus = rsaModulusLength ?? undefined;
    const id = `${alg}/${modulus ?? '-'}`;
    let slot = slots.get(id);
    if (!slot) {
      slot = { alg, rsaModulusLength: modulus, spares: [], inFlight: 0, waiters: [] };
      slots.set(id, slot);
    }
    return slot;
  }

  function launch(slot: Slot): void {
    slot.inFlight += 1;
    let pending: Promise<KeyPair>;
    try {
      pending = generate(slot.alg, slot.rsaModulusLength);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (pair) => {
        slot.inFlight -= 1;
        const waiter = slot.waiters.shift();
        if (waiter) waiter.resolve(pair);
        else if (!closed) slot.spares.push(pair);
      },
      (error: unknown) => {
        slot.inFlight -= 1;
        // A waiting take gets the failure; otherwise it is dropped and the next take or warm retries,
        // rather than looping on a generator that keeps failing.
        slot.waiters.shift()?.reject(error);
      },
    );
  }

  // Every waiter needs a generation of its own; the spares are only topped up while open.
  function fill(slot: Slot): void {
    const wanted = slot.waiters.length + (closed ? 0 : target);
    while (slot.spares.length + slot.inFlight < wanted) launch(slot);
  }

  return {
    take(alg, rsaModulusLength) {
      const slot = slotFor(alg, rsaModulusLength);
      const spare = slot.spares.shift();
      if (spare) {
        fill(slot);
        return Promise.resolve(spare);
      }
      const taken = new Promise<KeyPair>((resolve, reject) => slot.waiters.push({ resolve, reject }));
      fill(slot);
      return taken;
    },

    warm(alg, rsaModulusLength) {
      if (!closed) fill(slotFor(alg, rsaModulusLength));
    },

    close() {
      closed = true;
      for (const slot of slots.values()) slot.spares.length = 0;
    },
  };
}
