import type { Algorithm, RsaModulusLength } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { certificateTimes } from './certificate-times.ts';
import { computeKid } from './compute-kid.ts';
import { createCertificate, type CertificateResult } from './create-certificate.ts';
import { defaultCommonName } from './default-common-name.ts';
import { generateKeyPair, type KeyPair } from './generate-key-pair.ts';
import { toPublicJwk } from './to-public-jwk.ts';

/**
 * A key pair from the pool and, when the pool could prepare it ahead, the self-signed certificate
 * a new key of the pair gets (common name `defaultCommonName(kid)`, validity as asked for).
 */
export interface KeyMaterial {
  keyPair: KeyPair;
  /** Null when none was ready for this validity or it had grown older than the pool's bound. */
  certificate: CertificateResult | null;
}

/**
 * Pre-generated key pairs, each with its self-signed certificate signed ahead, so a rotation waits
 * neither for RSA key generation nor for an RSA-4096 signature (docs/spec.md §2, rotate).
 */
export interface KeyMaterialPool {
  /** A spare key pair at once when one is ready, otherwise the next one generated (no certificate). */
  take(alg: Algorithm, rsaModulusLength: RsaModulusLength | null): Promise<KeyPair>;
  /**
   * A spare key pair with the certificate prepared for it when that certificate has this validity
   * and is fresh (see `certificateMaxAgeMs`); otherwise `certificate` is null and the caller signs one.
   */
  takeWithCertificate(
    alg: Algorithm,
    rsaModulusLength: RsaModulusLength | null,
    certificateValiditySeconds: number,
  ): Promise<KeyMaterial>;
  /**
   * Starts filling the spares for this algorithm without taking one; with a validity, the spares'
   * certificates are prepared for it (the last validity asked for per algorithm and modulus wins).
   */
  warm(alg: Algorithm, rsaModulusLength: RsaModulusLength | null, certificateValiditySeconds?: number): void;
  /** Stops refilling and drops the spares; takes still work, generating on demand. */
  close(): void;
}

export interface KeyMaterialPoolOptions {
  /** Spares kept per (algorithm, modulus); default 1. */
  spares?: number;
  generate?: typeof generateKeyPair;
  /** The clock the certificates' validity is computed from (the services' clock); default Date.now. */
  now?: () => number;
  /**
   * How old a prepared certificate may be when handed out, default 10 minutes: its notBefore then
   * lies at most the backdate plus this in the past, its notAfter at most this short of the full
   * validity. Spares' certificates are signed again once they reach this age.
   */
  certificateMaxAgeMs?: number;
}

interface Waiter {
  resolve(pair: KeyPair): void;
  reject(error: unknown): void;
}

interface PreparedCertificate {
  validitySeconds: number;
  preparedAt: number;
  /** Settles to null when signing failed; the take then signs in the request instead. */
  result: Promise<CertificateResult | null>;
}

interface Spare {
  pair: KeyPair;
  prepared: PreparedCertificate | null;
  renewal: NodeJS.Timeout | null;
}

interface Slot {
  alg: Algorithm;
  rsaModulusLength: RsaModulusLength | undefined;
  /** The certificate validity the spares are prepared for; null until a caller names one. */
  validitySeconds: number | null;
  spares: Spare[];
  inFlight: number;
  /** Takes that found no spare and wait for the next generation to finish. */
  waiters: Waiter[];
}

const DEFAULT_CERTIFICATE_MAX_AGE_MS = 10 * 60 * 1000;

/** Creates a pool that keeps `spares` key pairs per (algorithm, modulus), generated off the event loop. */
export function createKeyMaterialPool(options: KeyMaterialPoolOptions = {}): KeyMaterialPool {
  const target = options.spares ?? 1;
  if (!Number.isInteger(target) || target < 0)
    throw new SignetError('ERR_VALIDATION', 'spares must be a non-negative integer');
  const generate = options.generate ?? generateKeyPair;
  const now = options.now ?? Date.now;
  const maxAgeMs = options.certificateMaxAgeMs ?? DEFAULT_CERTIFICATE_MAX_AGE_MS;
  const slots = new Map<string, Slot>();
  let closed = false;

  function slotFor(alg: Algorithm, rsaModulusLength: RsaModulusLength | null): Slot {
    const modulus = rsaModulusLength ?? undefined;
    const id = `${alg}/${modulus ?? '-'}`;
    let slot = slots.get(id);
    if (!slot) {
      slot = { alg, rsaModulusLength: modulus, validitySeconds: null, spares: [], inFlight: 0, waiters: [] };
      slots.set(id, slot);
    }
    return slot;
  }

  /** Signs the certificate a key of this spare would get now, and again whenever it grows too old. */
  function prepare(slot: Slot, spare: Spare): void {
    if (spare.renewal) clearTimeout(spare.renewal);
    spare.renewal = null;
    const validitySeconds = slot.validitySeconds;
    if (closed || validitySeconds === null) return;
    const preparedAt = now();
    const result = (async () => {
      const kid = await computeKid(toPublicJwk(spare.pair.privateKey));
      return createCertificate({
        keyPair: spare.pair,
        alg: slot.alg,
        commonName: defaultCommonName(kid),
        ...certificateTimes(preparedAt, validitySeconds),
      });
    })().catch(() => null);
    spare.prepared = { validitySeconds, preparedAt, result };
    // Renewed on the wall clock: a spare waiting for months keeps a certificate of the bounded age.
    spare.renewal = setTimeout(() => {
      if (slot.spares.includes(spare)) prepare(slot, spare);
    }, maxAgeMs);
    spare.renewal.unref();
  }

  function addSpare(slot: Slot, pair: KeyPair): void {
    const spare: Spare = { pair, prepared: null, renewal: null };
    slot.spares.push(spare);
    prepare(slot, spare);
  }

  function takeSpare(slot: Slot): Spare | undefined {
    const spare = slot.spares.shift();
    if (spare?.renewal) clearTimeout(spare.renewal);
    return spare;
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
        else if (!closed) addSpare(slot, pair);
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

  function takePair(slot: Slot, spare: Spare | undefined): Promise<KeyPair> {
    if (spare) {
      // Refilled on the next turn of the event loop: the request that took the spare (its commit
      // and its answer run on promises) is done before the generation starts taking a core.
      setImmediate(() => fill(slot));
      return Promise.resolve(spare.pair);
    }
    const taken = new Promise<KeyPair>((resolve, reject) => slot.waiters.push({ resolve, reject }));
    fill(slot);
    return taken;
  }

  /** The spare's certificate if it was prepared for this validity and is still within the age bound. */
  async function usableCertificate(
    spare: Spare | undefined,
    validitySeconds: number,
  ): Promise<CertificateResult | null> {
    const prepared = spare?.prepared;
    if (!prepared || prepared.validitySeconds !== validitySeconds) return null;
    const age = now() - prepared.preparedAt;
    return age >= 0 && age <= maxAgeMs ? prepared.result : null;
  }

  function setValidity(slot: Slot, validitySeconds: number): void {
    if (slot.validitySeconds === validitySeconds) return;
    slot.validitySeconds = validitySeconds;
    for (const spare of slot.spares) prepare(slot, spare);
  }

  return {
    take(alg, rsaModulusLength) {
      const slot = slotFor(alg, rsaModulusLength);
      return takePair(slot, takeSpare(slot));
    },

    async takeWithCertificate(alg, rsaModulusLength, certificateValiditySeconds) {
      const slot = slotFor(alg, rsaModulusLength);
      const spare = takeSpare(slot);
      // The spares left (and the refill) are prepared for this validity from now on.
      if (!closed) setValidity(slot, certificateValiditySeconds);
      const [keyPair, certificate] = await Promise.all([
        takePair(slot, spare),
        usableCertificate(spare, certificateValiditySeconds),
      ]);
      return { keyPair, certificate };
    },

    warm(alg, rsaModulusLength, certificateValiditySeconds) {
      if (closed) return;
      const slot = slotFor(alg, rsaModulusLength);
      if (certificateValiditySeconds !== undefined) setValidity(slot, certificateValiditySeconds);
      fill(slot);
    },

    close() {
      closed = true;
      for (const slot of slots.values()) {
        for (const spare of slot.spares) if (spare.renewal) clearTimeout(spare.renewal);
        slot.spares.length = 0;
      }
    },
  };
}
