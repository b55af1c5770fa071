import { describe, expect, it } from 'vitest';
import {
  matchesDomainList,
  normalizeDomain,
  parseEmail,
} from '../../../shared/policy';
import {
  decideDisposable,
  decideEmailDomain,
  isDisposableDomain,
} from '../../../shared/policy/email';

const rules = {
  allow: ['corp.example', '*.corp.example'],
  deny: [],
  shadow: false,
};

describe('parseEmail', () => {
  it.each([
    ['ada+newsletter@Example.COM', 'example.com'],
    ['"ada lovelace"@example.com', 'example.com'],
    ['ada@bücher.de', 'xn--bcher-kva.de'],
    ['ada@mail.例え.jp', 'mail.xn--r8jz45g.jp'],
    ['ådä@example.com', 'example.com'],
    ['"a@b"@example.com', 'example.com'],
    ['"a\\"b"@example.com', 'example.com'],
    ['ada@ＥＸＡＭＰＬＥ。com', 'example.com'],
    ['ada@3com.com', '3com.com'],
    // Characters IDNA2008 allows in context
    ['ada@col·legi.cat', 'xn--collegi-xma.cat'],
    ['ada@ゲーム・ニュース.jp', 'xn--scko7c6d0a4kfe.jp'],
    ['ada@می‌خواهم.ir', 'xn--mgbn2ecje63gr19l.ir'],
    ['ada@א׳ב.co.il', 'xn--4dbc5h.co.il'],
    ['ada@123.example', '123.example'],
  ])('reads the domain of %s', (raw, domain) => {
    // Act
    const email = parseEmail(raw);

    // Assess
    expect(email?.domain).toBe(domain);
  });

  it.each([
    null,
    undefined,
    '',
    'ada',
    '@example.com',
    'ada@',
    'ada@localhost',
    'ada lovelace@example.com',
    'ada\u0000@example.com',
    'ada@exa mple.com',
    'a@b@example.com',
    'eve@evil.example,ada@example.com',
    'eve@evil.example>ada@example.com',
    'eve(comment)@example.com',
    '"eve"@evil.example,"ada"@example.com',
    '"x" <eve@evil.example>, "y"@example.com',
    '"a"<eve@evil.example>"@example.com',
    'ada@-example.com',
    `${'a'.repeat(65)}@example.com`,
    `ada@${'a'.repeat(250)}.com`,
    `${'x'.repeat(100_000)}@example.com`,
    // The URL host parser would cut or rewrite these into another domain
    // (corp.com, 127.0.0.1) than the one the address names.
    'mallory@corp.com#.attacker.example',
    'a@corp.com/evil.net',
    'a@corp.com?x',
    'a@corp.com\\evil.net',
    'a@corp.com:25',
    'a@corp%2ecom',
    'a@co\nrp.com',
    'a@co\trp.com',
    'a@co\u00adrp.com',
    'a@0x7f.1',
    'a@127.0.0.1',
    'a@10.0.0.example.1',
  ])('refuses %j as not an address', (raw) => {
    // Act
    const email = parseEmail(raw);

    // Assess
    expect(email).toBeUndefined();
  });
});

describe('domain lists', () => {
  it('matches exact entries and, with *., subdomains at any depth', () => {
    // Act
    const exact = matchesDomainList('corp.example', ['corp.example']);
    const sub = matchesDomainList('eu.mail.corp.example', ['*.corp.example']);
    const apex = matchesDomainList('corp.example', ['*.corp.example']);
    const lookalike = matchesDomainList('evilcorp.example', ['*.corp.example']);

    // Assess
    expect([exact, sub, apex, lookalike]).toEqual([true, true, false, false]);
  });

  it('normalizes only valid host names', () => {
    // Act
    const names = ['EXAMPLE.com.', 'a..b', 'single', 'exa_mple.com'].map(
      normalizeDomain,
    );

    // Assess
    expect(names).toEqual(['example.com', undefined, undefined, undefined]);
  });
});

describe('decideEmailDomain', () => {
  it('denies a listed domain before looking at the allow list', () => {
    // Act
    const decision = decideEmailDomain(
      'corp.example',
      { ...rules, deny: ['corp.example'] },
      true,
      false,
    );

    // Assess
    expect(decision).toEqual({
      outcome: 'deny',
      reason: 'email_domain_denied',
    });
  });

  it('requires the allow list only when the mode is allow-listed', () => {
    // Act
    const outside = decideEmailDomain('other.example', rules, true, false);
    const inside = decideEmailDomain('hr.corp.example', rules, true, false);
    const open = decideEmailDomain('other.example', rules, false, false);
    const shadow = decideEmailDomain('other.example', rules, true, true);

    // Assess
    expect(outside).toEqual({
      outcome: 'deny',
      reason: 'email_domain_not_allowed',
    });
    expect(inside).toEqual({ outcome: 'allow' });
    expect(open).toEqual({ outcome: 'allow' });
    expect(shadow.outcome).toBe('would-deny');
  });
});

describe('decideDisposable', () => {
  const list = new Set(['mailinator.com']);
  const on = { mode: 'deny' as const, allow: [], shadow: false };

  it('denies a listed domain and its subdomains, not the bare TLD', () => {
    // Act
    const sub = isDisposableDomain('x.mailinator.com', list);
    const tld = isDisposableDomain('com', new Set(['com']));

    // Assess
    expect(decideDisposable('mailinator.com', on, list)).toEqual({
      outcome: 'deny',
      reason: 'email_disposable',
    });
    expect(sub).toBe(true);
    expect(tld).toBe(false);
  });

  it('lets the local allow override and the off switch win', () => {
    // Act
    const allowed = decideDisposable(
      'mailinator.com',
      { ...on, allow: ['mailinator.com'] },
      list,
    );
    const off = decideDisposable(
      'mailinator.com',
      { ...on, mode: 'off' },
      list,
    );

    // Assess
    expect(allowed).toEqual({ outcome: 'allow' });
    expect(off).toEqual({ outcome: 'allow' });
  });

  it('lets the allow override cover the subdomains the list matches through it', () => {
    // Prepare
    const allowing = { ...on, allow: ['mailinator.com'] };

    // Act
    const sub = decideDisposable('x.mailinator.com', allowing, list);
    const deep = decideDisposable('a.b.mailinator.com', allowing, list);
    const other = decideDisposable(
      'x.mailinator.com',
      { ...on, allow: ['other.example'] },
      list,
    );
    const sibling = decideDisposable(
      'y.mailinator.com',
      { ...on, allow: ['x.mailinator.com'] },
      list,
    );

    // Assess
    expect(sub).toEqual({ outcome: 'allow' });
    expect(deep).toEqual({ outcome: 'allow' });
    expect(other).toEqual({ outcome: 'deny', reason: 'email_disposable' });
    expect(sibling).toEqual({ outcome: 'deny', reason: 'email_disposable' });
  });

  it('keeps a wildcard override to the subdomains it names', () => {
    // Prepare
    const allowing = { ...on, allow: ['*.mailinator.com'] };

    // Act
    const sub = decideDisposable('x.mailinator.com', allowing, list);
    const bare = decideDisposable('mailinator.com', allowing, list);

    // Assess
    expect(sub).toEqual({ outcome: 'allow' });
    expect(bare).toEqual({ outcome: 'deny', reason: 'email_disposable' });
  });
});
