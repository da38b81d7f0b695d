/** One signature made through a signing surface, as the accountability ledger counts it. */
export interface SignatureEntry {
  tenantId: string;
  keySetId: string;
  kid: string;
  credentialId: string;
  surface: string;
  at: number;
}

/**
 * Where every signature made for a caller is counted (per kid and credential), so an operator can
 * later list who signed with a compromised key. Synchronous and in memory: the signing path does
 * no I/O; the ledger flushes its counts elsewhere.
 */
export interface SignatureLedger {
  record(entry: SignatureEntry): void;
}

/** A ledger that counts nothing, the default until a real one is injected. */
export function createNullSignatureLedger(): SignatureLedger {
  return { record: () => {} };
}
