import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { algorithmSpec } from '../crypto/algorithms.ts';
import type { Algorithm } from '../domain/types.ts';
import { SignetError } from '../errors.ts';
import { CKK_EC_EDWARDS } from './pkcs11-mechanism.ts';

// DER-encoded OIDs for CKA_EC_PARAMS (RFC 5480 §2.1.1.1, RFC 8410 §3).
const CURVE_PARAMS: Readonly<Record<string, string>> = {
  'P-256': '06082a8648ce3d030107',
  'P-384': '06052b81040022',
  'P-521': '06052b81040023',
  Ed25519: '06032b6570',
};
const CURVE_OF_PARAMS = new Map(Object.entries(CURVE_PARAMS).map(([curve, hex]) => [hex, curve]));

/** The CKA_EC_PARAMS of the curve `alg` uses (null for RSA). */
export function curveParams(alg: Algorithm): Buffer | null {
  const crv = algorithmSpec(alg).crv;
  return crv === undefined ? null : Buffer.from(CURVE_PARAMS[crv] as string, 'hex');
}

/** The key type and type-specific public attributes of `alg`, for a generation template. */
export function publicTemplate(alg: Algorithm, rsaModulusLength: number): pkcs11js.Template {
  const spec = algorithmSpec(alg);
  if (spec.kty === 'RSA') {
    return [
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
      { type: pkcs11js.CKA_MODULUS_BITS, value: rsaModulusLength },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
    ];
  }
  return [
    { type: pkcs11js.CKA_KEY_TYPE, value: spec.kty === 'EC' ? pkcs11js.CKK_EC : CKK_EC_EDWARDS },
    { type: pkcs11js.CKA_EC_PARAMS, value: curveParams(alg) as Buffer },
  ];
}

/** Strips the DER OCTET STRING around CKA_EC_POINT (PKCS#11 §2.3.3), short or long length form. */
function ecPoint(value: Buffer): Buffer {
  if (value[0] !== 0x04) return value;
  const first = value[1] as number;
  if (first < 0x80 && first + 2 === value.length) return value.subarray(2);
  if (first === 0x81 && (value[2] as number) + 3 === value.length) return value.subarray(3);
  return value;
}

/** The public key of a token object from its attributes (RSA modulus and exponent, or curve and point). */
export function publicKeyFromAttributes(attributes: {
  keyType: number;
  modulus?: Buffer;
  publicExponent?: Buffer;
  ecParams?: Buffer;
  ecPoint?: Buffer;
}): KeyObject {
  let jwk: JsonWebKey;
  if (attributes.keyType === pkcs11js.CKK_RSA && attributes.modulus && attributes.publicExponent) {
    jwk = {
      kty: 'RSA',
      n: attributes.modulus.toString('base64url'),
      e: attributes.publicExponent.toString('base64url'),
    };
  } else {
    const curve = attributes.ecParams ? CURVE_OF_PARAMS.get(attributes.ecParams.toString('hex')) : undefined;
    if (curve === undefined || attributes.ecPoint === undefined) {
      throw new SignetError('ERR_INTERNAL', 'the token object is not a key of a supported type');
    }
    const point = ecPoint(attributes.ecPoint);
    if (curve === 'Ed25519') jwk = { kty: 'OKP', crv: 'Ed25519', x: point.toString('base64url') };
    else {
      const size = (point.length - 1) / 2;
      jwk = {
        kty: 'EC',
        crv: curve,
        x: point.subarray(1, 1 + size).toString('base64url'),
        y: point.subarray(1 + size).toString('base64url'),
      };
    }
  }
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/** The private and public templates that put an existing key on the token (the private JWK's members). */
export function importTemplates(privateJwk: JsonWebKey): {
  privateKey: pkcs11js.Template;
  publicKey: pkcs11js.Template;
} {
  const b = (member: string | undefined): Buffer => Buffer.from(member ?? '', 'base64url');
  if (privateJwk.kty === 'RSA') {
    return {
      privateKey: [
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
        { type: pkcs11js.CKA_MODULUS, value: b(privateJwk.n) },
        { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: b(privateJwk.e) },
        { type: pkcs11js.CKA_PRIVATE_EXPONENT, value: b(privateJwk.d) },
        { type: pkcs11js.CKA_PRIME_1, value: b(privateJwk.p) },
        { type: pkcs11js.CKA_PRIME_2, value: b(privateJwk.q) },
        { type: pkcs11js.CKA_EXPONENT_1, value: b(privateJwk.dp) },
        { type: pkcs11js.CKA_EXPONENT_2, value: b(privateJwk.dq) },
        { type: pkcs11js.CKA_COEFFICIENT, value: b(privateJwk.qi) },
      ],
      publicKey: [
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
        { type: pkcs11js.CKA_MODULUS, value: b(privateJwk.n) },
        { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: b(privateJwk.e) },
      ],
    };
  }
  const curve = privateJwk.crv ?? '';
  const params = CURVE_PARAMS[curve];
  if (params === undefined) throw new SignetError('ERR_INVALID_KEY', `keys on curve ${curve} cannot be imported`);
  const keyType = privateJwk.kty === 'OKP' ? CKK_EC_EDWARDS : pkcs11js.CKK_EC;
  // CKA_EC_POINT is the DER OCTET STRING of the point: uncompressed 04 || X || Y, or Ed25519's 32 bytes.
  const point =
    privateJwk.kty === 'OKP' ? b(privateJwk.x) : Buffer.concat([Buffer.from([4]), b(privateJwk.x), b(privateJwk.y)]);
  const octetString = Buffer.concat([
    Buffer.from(point.length < 0x80 ? [0x04, point.length] : [0x04, 0x81, point.length]),
    point,
  ]);
  return {
    privateKey: [
      { type: pkcs11js.CKA_KEY_TYPE, value: keyType },
      { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(params, 'hex') },
      { type: pkcs11js.CKA_VALUE, value: b(privateJwk.d) },
    ],
    publicKey: [
      { type: pkcs11js.CKA_KEY_TYPE, value: keyType },
      { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(params, 'hex') },
      { type: pkcs11js.CKA_EC_POINT, value: octetString },
    ],
  };
}
