import { SignetError } from '../errors.ts';

function malformed(): SignetError {
  return new SignetError('ERR_INTERNAL', 'ECDSA signature is not a DER Ecdsa-Sig-Value');
}

/**
 * Converts an ECDSA signature from DER (`SEQUENCE { r INTEGER, s INTEGER }`, RFC 3279 §2.2.3) to
 * the fixed-width `R || S` JWS uses (RFC 7518 §3.4), each integer left-padded to `coordinateBytes`.
 */
export function derToP1363(der: Buffer, coordinateBytes: number): Buffer {
  if (der.length < 8 || der[0] !== 0x30) throw malformed();
  // P-521 signatures exceed 127 bytes, so the SEQUENCE length may use the long form (0x81 nn).
  const first = der[1] as number;
  let offset = first === 0x81 ? 3 : 2;
  const sequenceLength = first === 0x81 ? (der[2] as number) : first;
  if (first > 0x81 || offset + sequenceLength !== der.length) throw malformed();
  const out = Buffer.alloc(coordinateBytes * 2);
  for (let index = 0; index < 2; index += 1) {
    if (der[offset] !== 0x02) throw malformed();
    const length = der[offset + 1] as number;
    let start = offset + 2;
    const end = start + length;
    if (length === 0 || length > 0x7f || end > der.length) throw malformed();
    // DER integers are minimal and signed: drop the sign octet or leading zeros, then left-pad.
    while (end - start > coordinateBytes && der[start] === 0) start += 1;
    if (end - start > coordinateBytes) throw malformed();
    der.copy(out, (index + 1) * coordinateBytes - (end - start), start, end);
    offset = end;
  }
  if (offset !== der.length) throw malformed();
  return out;
}
