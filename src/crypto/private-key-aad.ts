/**
 * The AES-GCM additional data of a key's sealed private key: it binds the ciphertext to its row,
 * so a sealed key copied onto another key set or kid fails to unseal. A kid is base64url and never
 * contains `/`, so the pair is unambiguous.
 */
export function privateKeyAad(keySetId: string, kid: string): string {
  return `${keySetId}/${kid}`;
}
