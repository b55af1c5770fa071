import { describe, expect, it } from 'vitest';
import {
  chainProblems,
  type OriginationIdentity,
  selectChain,
} from '../../../shared/routing/identity-chain';

const id = (
  type: OriginationIdentity['type'],
  value: string = type,
): OriginationIdentity => ({ type, id: value });

describe('identity chain validation', () => {
  it('accepts the US order short code, 10DLC, toll-free', () => {
    // Act
    const problems = chainProblems('US', [
      id('short-code', '12345'),
      id('10dlc', '+12025550100'),
      id('toll-free', '+18885550100'),
    ]);

    // Assess
    expect(problems).toEqual([]);
  });

  it('rejects a US chain out of SNS order', () => {
    // Act
    const problems = chainProblems('US', [
      id('toll-free', '+18885550100'),
      id('short-code', '12345'),
    ]);

    // Assess
    expect(problems).toEqual([
      'US order is short-code, then 10dlc, then toll-free',
    ]);
  });

  it('rejects a sender ID for US numbers', () => {
    // Act
    const problems = chainProblems('US', [id('sender-id', 'SUITE')]);

    // Assess
    expect(problems).toEqual(['US numbers cannot be reached with a sender ID']);
  });

  it('rejects an empty chain, a repeated identity and TRAI ids outside India', () => {
    // Act
    const empty = chainProblems('GB', []);
    const repeated = chainProblems('GB', [
      id('sender-id', 'A1'),
      id('sender-id', 'A1'),
    ]);
    const trai = chainProblems('GB', [id('sender-id', 'A1')], true);
    const india = chainProblems('IN', [id('sender-id', 'A1')], true);

    // Assess
    expect(empty).toEqual(['chain is empty']);
    expect(repeated).toEqual(['duplicate identity']);
    expect(trai).toEqual(['entityId/templateId apply to India (IN) only']);
    expect(india).toEqual([]);
  });
});

describe('chain selection', () => {
  const chains = { GB: 'gb-chain', '*': 'default-chain' };

  it('picks the country chain, else the * default', () => {
    // Act
    const gb = selectChain(chains, 'GB', 'refuse');
    const de = selectChain(chains, 'DE', 'refuse');

    // Assess
    expect(gb).toEqual({ ok: true, entry: 'gb-chain' });
    expect(de).toEqual({ ok: true, entry: 'default-chain' });
  });

  it('falls back to the account default or refuses, as configured', () => {
    // Act
    const fallback = selectChain({ GB: 'gb' }, 'DE', 'account-default');
    const refusal = selectChain({ GB: 'gb' }, 'DE', 'refuse');

    // Assess
    expect(fallback).toEqual({ ok: true, entry: undefined });
    expect(refusal).toEqual({ ok: false, reason: 'no_origination_identity' });
  });
});
