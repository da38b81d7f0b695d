/**
 * The AES-GCM additional data of a CSR's sealed private key: it binds the ciphertext to its CSR
 * row, and cannot collide with a signing key's `${keySetId}/${kid}` (key set ids never start with `csr:`).
 */
export function csrPrivateKeyAad(tenantId: string, idpId: string, csrId: string): string {
  return `csr:${tenantId}/${idpId}/${csrId}`;
}
