/**
 * The part of bn.js that `@aws-crypto/serialize` uses, on the language's
 * BigInt: the 64-bit big-endian content length of the message format, in
 * the AAD of each frame (`new BN(n).toArray('be', 8)`) and in a non-framed
 * body header (`new BN(bytes, 16, 'be').toNumber()`). bn.js is a 45 kB
 * general-purpose bignum library that costs about 3 ms of the sender's cold
 * start for these two conversions.
 *
 * Same results as bn.js for every input the ESDK passes, and stricter
 * outside them: a number must be a non-negative safe integer (bn.js would
 * silently truncate a fraction), bytes must be octets in big-endian order.
 * `toNumber` throws above 2^53 - 1 and `toArray` when the value does not fit
 * the length, as bn.js does. Proven against bn.js by
 * test/unit/infra/bn-uint64.test.ts.
 */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export default class BN {
  readonly #value: bigint;

  constructor(
    value: number | ArrayLike<number>,
    _base?: number,
    endian?: 'be' | 'le',
  ) {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new RangeError('bn-uint64: not a non-negative safe integer');
      }
      this.#value = BigInt(value);
      return;
    }
    if (endian !== 'be') {
      throw new RangeError('bn-uint64: only big-endian byte arrays');
    }
    let result = 0n;
    for (let index = 0; index < value.length; index += 1) {
      const octet = value[index];
      if (
        octet === undefined ||
        !Number.isInteger(octet) ||
        octet < 0 ||
        octet > 0xff
      ) {
        throw new RangeError('bn-uint64: not an octet');
      }
      result = (result << 8n) | BigInt(octet);
    }
    this.#value = result;
  }

  toNumber(): number {
    if (this.#value > MAX_SAFE) {
      throw new RangeError('Number can only safely store up to 53 bits');
    }
    return Number(this.#value);
  }

  toArray(endian: 'be' | 'le', length: number): number[] {
    if (endian !== 'be' || !Number.isSafeInteger(length) || length <= 0) {
      throw new RangeError('bn-uint64: only big-endian, with a length');
    }
    const octets = new Array<number>(length);
    let rest = this.#value;
    for (let index = length - 1; index >= 0; index -= 1) {
      octets[index] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    if (rest !== 0n) {
      throw new RangeError('byte array longer than desired length');
    }
    return octets;
  }
}
