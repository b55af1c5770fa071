import { createECDH, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as native from '../../../infra/esbuild-shims/native-ecc';

/**
 * Differential test of the build-time native ECC/PEM shim against the
 * ESDK files it replaces: identical outputs for random keys on both curves,
 * with the argument types the ESDK passes (Buffers; OpenSSL curve names for
 * PEMs). Run on every ESDK upgrade.
 */
const esdk = createRequire(__filename);
const base = '@aws-crypto/material-management/build/main/src';
const original = {
  decode: esdk(`${base}/ecc_decode.js`).decodeNamedCurves,
  encode: esdk(`${base}/ecc_encode.js`).encodeNamedCurves,
  pem: esdk(`${base}/pem_helpers.js`),
};
const CURVES = ['prime256v1', 'secp384r1', 'P-256', 'P-384'] as const;
const PEM_CURVES = ['prime256v1', 'secp384r1'] as const;
const OPENSSL = {
  prime256v1: 'prime256v1',
  secp384r1: 'secp384r1',
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
} as const;
const ROUNDS = 200;

function keyPair(curve: (typeof CURVES)[number]) {
  const ecdh = createECDH(OPENSSL[curve]);
  ecdh.generateKeys();
  return {
    compressed: ecdh.getPublicKey(undefined, 'compressed'),
    uncompressed: ecdh.getPublicKey(undefined, 'uncompressed'),
    privateKey: ecdh.getPrivateKey(),
  };
}

describe('native ECC/PEM shim (differential)', () => {
  it.each(CURVES)(
    'decodes and encodes %s points exactly like the ESDK',
    (curve) => {
      for (let i = 0; i < ROUNDS; i += 1) {
        // Prepare
        const key = keyPair(curve);

        // Act
        const decoded = native.decodeNamedCurves[curve]?.(key.compressed);
        const encoded = native.encodeNamedCurves[curve]?.(key.uncompressed);

        // Assess
        expect(Buffer.from(decoded ?? [])).toEqual(
          Buffer.from(original.decode[curve](key.compressed)),
        );
        expect(Buffer.from(encoded ?? [])).toEqual(
          Buffer.from(original.encode[curve](key.uncompressed)),
        );
      }
    },
  );

  it.each(PEM_CURVES)(
    'PEM-encodes %s public keys exactly like the ESDK',
    (curve) => {
      for (let i = 0; i < ROUNDS; i += 1) {
        // Prepare
        const key = keyPair(curve);

        // Act
        const pem = native.publicKeyPem(curve, key.uncompressed);

        // Assess
        expect(pem).toBe(original.pem.publicKeyPem(curve, key.uncompressed));
      }
    },
  );

  it.each(PEM_CURVES)(
    'PEM-encodes %s private keys as the same key',
    (curve) => {
      // Prepare (the ESDK passes the compressed public point)
      const key = keyPair(curve);

      // Act
      const ours = createPrivateKey(
        native.privateKeyPem(curve, key.privateKey, key.compressed),
      );
      const theirs = createPrivateKey(
        original.pem.privateKeyPem(curve, key.privateKey, key.compressed),
      );

      // Assess
      expect(ours.export({ format: 'jwk' })).toEqual(
        theirs.export({ format: 'jwk' }),
      );
    },
  );

  it('rejects points of the wrong length like the ESDK', () => {
    // Prepare
    const short = new Uint8Array(10);

    // Act / Assess
    expect(() => native.decodeNamedCurves['P-384']?.(short)).toThrow(/length/);
    expect(() => native.encodeNamedCurves['P-384']?.(short)).toThrow(
      /Malformed/,
    );
  });

  it('rejects a point that is not on the curve', () => {
    // Prepare
    const bogus = new Uint8Array(49).fill(0xff);
    bogus[0] = 2;

    // Act / Assess
    expect(() => native.decodeNamedCurves['P-384']?.(bogus)).toThrow();
  });

  it('chunks base64 in 64-character lines like the ESDK', () => {
    // Prepare
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const data = publicKey.export({ type: 'spki', format: 'der' });

    // Act
    const ours = native.chunk64(data);

    // Assess
    expect(ours).toEqual(original.pem.chunk64(data));
  });
});
