import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import LRUCache from '../../../infra/esbuild-shims/lru-cache';

/**
 * Differential test of the build-time LRU shim against the mnemonist
 * LRUCache that @aws-sdk/endpoint-cache resolves, over the calls the
 * endpoint cache makes. Run on every SDK upgrade.
 */
const endpointCache = createRequire(
  createRequire(__filename).resolve('@aws-sdk/endpoint-cache'),
);
const RealLRUCache = endpointCache('mnemonist/lru-cache') as new (
  capacity: number,
) => {
  set(key: string, value: number): void;
  get(key: string): number | undefined;
  peek(key: string): number | undefined;
  has(key: string): boolean;
  clear(): void;
  size: number;
};

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const operation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }),
  fc.record({ op: fc.constant('get' as const), key }),
  fc.record({ op: fc.constant('peek' as const), key }),
  fc.record({ op: fc.constant('has' as const), key }),
  fc.record({ op: fc.constant('clear' as const) }),
);

describe('LRU cache shim (infra/esbuild-shims/lru-cache.ts)', () => {
  it('answers every call sequence as mnemonist does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(operation, { maxLength: 60 }),
        (capacity, operations) => {
          // Prepare
          const shim = new LRUCache<number>(capacity);
          const real = new RealLRUCache(capacity);

          // Act + Assess: the same answer and size after every call
          for (const step of operations) {
            const run = (cache: typeof real) => {
              switch (step.op) {
                case 'set':
                  return cache.set(step.key, step.value);
                case 'get':
                  return cache.get(step.key);
                case 'peek':
                  return cache.peek(step.key);
                case 'has':
                  return cache.has(step.key);
                case 'clear':
                  return cache.clear();
              }
            };
            expect(run(shim)).toEqual(run(real));
            expect(shim.size).toBe(real.size);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses a capacity that is not a positive number, as mnemonist does', () => {
    // Act + Assess
    expect(() => new LRUCache(0)).toThrow(/capacity should be positive/);
    expect(() => new RealLRUCache(0)).toThrow(/capacity should be positive/);
  });
});
