import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import BN from '../../../infra/esbuild-shims/bn-uint64';

/**
 * Differential test of the build-time bn.js shim against the bn.js the
 * ESDK's @aws-crypto/serialize resolves, for the two calls it makes.
 * Run on every ESDK upgrade.
 */
const serialize = createRequire(
  createRequire(__filename).resolve('@aws-crypto/serialize'),
);
const RealBN = serialize('bn.js') as new (
  value: number | number[],
  base?: number,
  endian?: string,
) => { toNumber(): number; toArray(endian: string, length: number): number[] };

/** What a call returns, or that it threw. */
function outcome<T>(call: () => T): { value: T } | 'threw' {
  try {
    return { value: call() };
  } catch {
    return 'threw';
  }
}

const octets = fc.array(fc.integer({ min: 0, max: 0xff }), {
  minLength: 8,
  maxLength: 8,
});

describe('bn.js shim for the message format (differential)', () => {
  it('encodes a content length as 8 big-endian bytes like bn.js (aad_factory)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 2 ** 32 }),
          fc.maxSafeNat(),
          fc.constantFrom(0, 1, 4096, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1),
        ),
        (length) => {
          const ours = new BN(length).toArray('be', 8);
          expect(ours).toEqual(new RealBN(length).toArray('be', 8));
          expect(ours).toHaveLength(8);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('decodes 8 big-endian bytes like bn.js, throwing above 2^53 - 1 as it does (decode_body_header)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          octets,
          // values around the 53-bit edge, where bn.js starts to refuse
          fc
            .bigInt({ min: 2n ** 52n, max: 2n ** 54n })
            .map((value) =>
              Array.from({ length: 8 }, (_, index) =>
                Number((value >> BigInt(8 * (7 - index))) & 0xffn),
              ),
            ),
        ),
        (bytes) => {
          const ours = outcome(() => new BN(bytes, 16, 'be').toNumber());
          const theirs = outcome(() => new RealBN(bytes, 16, 'be').toNumber());
          expect(ours).toEqual(theirs);
        },
      ),
      { numRuns: 2000 },
    );
    expect(() =>
      new BN([0, 0x20, 0, 0, 0, 0, 0, 0], 16, 'be').toNumber(),
    ).toThrow(/53 bits/);
    expect(
      new BN(
        [0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        16,
        'be',
      ).toNumber(),
    ).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses what bn.js would silently truncate or misread', () => {
    expect(() => new BN(-1)).toThrow(RangeError);
    expect(() => new BN(1.5)).toThrow(RangeError);
    expect(() => new BN(2 ** 53)).toThrow(RangeError);
    expect(() => new BN([256], 16, 'be')).toThrow(RangeError);
    expect(() => new BN([1], 16, 'le')).toThrow(RangeError);
    expect(() => new BN(2 ** 40).toArray('be', 4)).toThrow(/longer/);
    expect(() => new BN(1).toArray('le', 8)).toThrow(RangeError);
  });
});
