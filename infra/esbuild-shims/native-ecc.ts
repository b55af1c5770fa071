/**
 * Build-time stand-in for three files of `@aws-crypto/material-management`
 * (`ecc_decode`, `ecc_encode`, `pem_helpers`): the same exports, computed
 * by OpenSSL (`crypto.ECDH.convertKey`, JWK → SPKI/SEC1 export) instead of
 * bn.js and asn1.js. It saves their module-load precomputation and about
 * 20 ms of the first decrypt. A differential test
 * (test/unit/sms/native-ecc.test.ts) proves the outputs identical to the
 * originals for random P-256 and P-384 keys; re-run it on every ESDK
 * upgrade (pinned in package.json).
 */
import { createPrivateKey, ECDH } from 'node:crypto';

type Curve = 'prime256v1' | 'secp384r1';
const OPENSSL: Readonly<Record<string, Curve>> = {
  prime256v1: 'prime256v1',
  secp384r1: 'secp384r1',
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
};
const JWK_CURVE: Readonly<Record<Curve, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
};
const KEY_LENGTH: Readonly<Record<Curve, number>> = {
  prime256v1: 32,
  secp384r1: 48,
};

const toBuffer = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function converter(
  format: 'compressed' | 'uncompressed',
  inputLength: (n: number) => number,
) {
  const table: Record<string, (point: Uint8Array) => Uint8Array> = {};
  for (const [name, curve] of Object.entries(OPENSSL)) {
    table[name] = (point) => {
      if (point.byteLength !== inputLength(KEY_LENGTH[curve])) {
        throw new Error(
          format === 'uncompressed'
            ? 'Compressed point length is not correct.'
            : 'Malformed public key.',
        );
      }
      const out = ECDH.convertKey(
        toBuffer(point),
        curve,
        undefined,
        undefined,
        format,
      );
      return new Uint8Array(out as Buffer);
    };
  }
  return Object.freeze(table);
}

/** Compressed → uncompressed point, per curve (as `ecc_decode`). */
export const decodeNamedCurves = converter('uncompressed', (n) => 1 + n);
/** Uncompressed → compressed point, per curve (as `ecc_encode`). */
export const encodeNamedCurves = converter('compressed', (n) => 1 + 2 * n);

/** The curve's OpenSSL name and the key as an uncompressed point. */
function uncompressedPoint(
  curve: string,
  publicKey: Uint8Array,
): { name: Curve; point: Buffer } {
  const name = OPENSSL[curve];
  if (!name) throw new Error('Curve not supported at this time');
  const point =
    publicKey[0] === 4
      ? toBuffer(publicKey)
      : (ECDH.convertKey(
          toBuffer(publicKey),
          name,
          undefined,
          undefined,
          'uncompressed',
        ) as Buffer);
  return { name, point };
}

function jwkOf(curve: string, publicKey: Uint8Array) {
  const { name, point } = uncompressedPoint(curve, publicKey);
  const length = (point.length - 1) / 2;
  return {
    kty: 'EC',
    crv: JWK_CURVE[name],
    x: point.subarray(1, 1 + length).toString('base64url'),
    y: point.subarray(1 + length).toString('base64url'),
  };
}

/**
 * DER prefix of an SPKI for an uncompressed EC point (SEQUENCE { SEQUENCE {
 * id-ecPublicKey, namedCurve }, BIT STRING }): fixed per curve, so the PEM
 * is a concatenation, with no ASN.1 or key parsing.
 */
const SPKI_PREFIX: Readonly<Record<Curve, Buffer>> = {
  prime256v1: Buffer.from(
    '3059301306072a8648ce3d020106082a8648ce3d030107034200',
    'hex',
  ),
  secp384r1: Buffer.from(
    '3076301006072a8648ce3d020106052b81040022036200',
    'hex',
  ),
};

/** SPKI PEM of a public key (as `pem_helpers.publicKeyPem`). */
export function publicKeyPem(curve: string, publicKey: Uint8Array): string {
  const { name, point } = uncompressedPoint(curve, publicKey);
  if (point.length !== 1 + 2 * KEY_LENGTH[name])
    throw new Error('Malformed public key.');
  const der = Buffer.concat([SPKI_PREFIX[name], point]);
  return [
    '-----BEGIN PUBLIC KEY-----',
    ...chunk64(der),
    '-----END PUBLIC KEY-----',
    '',
  ].join('\n');
}

/** SEC1 PEM of a private key (as `pem_helpers.privateKeyPem`; encrypt only). */
export function privateKeyPem(
  curve: string,
  privateKey: Uint8Array,
  publicKey: Uint8Array,
): string {
  const key = {
    ...jwkOf(curve, publicKey),
    d: toBuffer(privateKey).toString('base64url'),
  };
  return createPrivateKey({ key, format: 'jwk' })
    .export({ type: 'sec1', format: 'pem' })
    .toString();
}

/** Base64 in 64-character lines (as `pem_helpers.chunk64`). */
export function chunk64(buff: Buffer): string[] {
  const text = buff.toString('base64');
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 64) chunks.push(text.slice(i, i + 64));
  return chunks;
}
