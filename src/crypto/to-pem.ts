/**
 * Encodes DER as PEM (RFC 7468 §2): base64 in 64-character lines between BEGIN and END lines,
 * joined by `eol` (Auth0 serves `\r\n`) and with no final line break.
 */
export function toPem(label: string, der: Uint8Array, eol: '\n' | '\r\n' = '\n'): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`].join(eol);
}
