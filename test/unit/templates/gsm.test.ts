import { describe, expect, it } from 'vitest';
import { smsEncodingOf } from '../../../shared/templates';

describe('smsEncodingOf', () => {
  it('counts plain GSM-7 text one septet per character', () => {
    // Act
    const result = smsEncodingOf('Ihr Code: 123456 (gültig)');

    // Assess
    expect(result).toEqual({ encoding: 'GSM-7', units: 25, segments: 1 });
  });

  it('counts extension characters twice', () => {
    // Act
    const result = smsEncodingOf('€5 [ok] {x} ~^|\\');

    // Assess
    expect(result.encoding).toBe('GSM-7');
    expect(result.units).toBe(16 + 9); // 16 characters, 9 of them extension
  });

  it('switches to UCS-2 for one smart quote', () => {
    // Act
    const result = smsEncodingOf('It\u2019s 123456');

    // Assess
    expect(result).toEqual({ encoding: 'UCS-2', units: 11, segments: 1 });
  });

  it.each([
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
  ])('splits %i GSM-7 septets into %i segments', (length, segments) => {
    // Act
    const result = smsEncodingOf('a'.repeat(length));

    // Assess
    expect(result.segments).toBe(segments);
  });

  it.each([
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
  ])('splits %i UCS-2 units into %i segments', (length, segments) => {
    // Act
    const result = smsEncodingOf('ж'.repeat(length));

    // Assess
    expect(result).toMatchObject({ encoding: 'UCS-2', segments });
  });

  it('never splits an escape pair across two segments', () => {
    // Prepare: 152 septets, then a two-septet character that would
    // straddle the first part's 153-septet boundary.
    const text = `${'a'.repeat(152)}€${'a'.repeat(10)}`;

    // Act
    const result = smsEncodingOf(text);

    // Assess
    expect(result.units).toBe(164);
    expect(result.segments).toBe(2);
    expect(
      smsEncodingOf(`${'a'.repeat(152)}€${'a'.repeat(152)}`).segments,
    ).toBe(3);
  });

  it('counts an emoji as two UCS-2 units', () => {
    // Act
    const result = smsEncodingOf('Hi \u{1F600}');

    // Assess
    expect(result).toEqual({ encoding: 'UCS-2', units: 5, segments: 1 });
  });
});
