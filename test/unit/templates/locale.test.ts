import { describe, expect, it } from 'vitest';
import { resolveLocale } from '../../../shared/templates';

const AVAILABLE = ['en', 'de', 'pt-BR'];

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
    [['de-AT-x-very-long-private-use-tag-beyond-limits'], 'en'],
  ] as const)('resolves %j to %s', (candidates, expected) => {
    // Act
    const locale = resolveLocale(candidates, AVAILABLE, 'en');

    // Assess
    expect(locale).toBe(expected);
  });
});
