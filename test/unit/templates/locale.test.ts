import { describe, expect, it } from 'vitest';
import { resolveLocale } from '../../../shared/templates';

const AVAILABLE = ['en', 'de', 'pt-BR', 'zh-Hant'];

describe('resolveLocale', () => {
  it.each([
    [['de-AT'], 'de'],
    [['de_at'], 'de'],
    [['DE'], 'de'],
    [['pt-br'], 'pt-BR'],
    [['pt-PT'], 'en'],
    [['fr', 'de'], 'de'],
    [[undefined, null, 'de-CH'], 'de'],
    [['fr'], 'en'],
    [[], 'en'],
    [['<script>', 'de'], 'de'],
    // A malformed tag still names its language
    [['de-AT-x-very-long-private-use-tag-beyond-limits'], 'de'],
    [['de_AT.UTF-8'], 'de'],
    [['de_DE@euro'], 'de'],
    [['pt_BR.UTF-8'], 'pt-BR'],
    [['de-AT-u-ca-gregory-x'], 'de'],
    [['C.UTF-8', 'de'], 'de'],
    [['de.UTF-8.UTF-8'], 'de'],
    [['en<script>', 'de'], 'de'],
    // RFC 4647 lookup: subtags dropped from the end, one at a time
    [['zh-Hant-TW'], 'zh-Hant'],
    [['zh-TW'], 'en'],
    [['de_DE@calendar=gregorian'], 'de'],
    [['de-DE-u-co-phonebk-ka-shifted-nu-latn-hc-h23'], 'de'],
    [['pt-BR-u-nu-latn'], 'pt-BR'],
  ] as const)('resolves %j to %s', (candidates, expected) => {
    // Act
    const locale = resolveLocale(candidates, AVAILABLE, 'en');

    // Assess
    expect(locale).toBe(expected);
  });
});
