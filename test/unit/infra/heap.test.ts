import { describe, expect, it } from 'vitest';
import { bootstrapNodeArgs } from '../../../bench/runner';
import heapSource, { senderNodeOptions } from '../../../infra/heap.js';

/**
 * The sender's heap flags (infra/heap.js): set in its NODE_OPTIONS, where
 * Lambda's Node.js bootstrap then passes none of its own.
 */

const resolverFor =
  (values: Record<string, unknown>) =>
  async (variable: string): Promise<unknown> => {
    const [name, fallback] = variable.split(',').map((part) => part.trim());
    const value = values[name ?? ''];
    if (value !== undefined) return value;
    if (fallback === 'null') return null;
    throw new Error(`cannot resolve ${variable}`);
  };

describe('the sender heap flags', () => {
  it.each([
    [128, '--max-semi-space-size=2 --max-old-space-size=116'],
    [256, '--max-semi-space-size=2 --max-old-space-size=231'],
    [1024, '--max-semi-space-size=2 --max-old-space-size=922'],
  ])(
    'keep old space as Lambda sets it for %i MB, with 2 MB semi-spaces',
    (memoryMb, options) => {
      // Act
      const result = senderNodeOptions(memoryMb);

      // Assess
      expect(result).toBe(options);
    },
  );

  it.each([[64], [256.5], [Number.NaN], [20480]])(
    'refuse a memory size Lambda does not allow (%s)',
    (memoryMb) => {
      // Act
      const attempt = () => senderNodeOptions(memoryMb);

      // Assess
      expect(attempt).toThrow(/memory size must be an integer/);
    },
  );

  it("follow the sender's own memory size, else the provider's", async () => {
    // Prepare
    const own = resolverFor({
      'self:functions.customSmsSender.memorySize': 512,
      'self:provider.memorySize': 256,
    });
    const provider = resolverFor({ 'self:provider.memorySize': 256 });

    // Act
    const [withOwn, withProvider] = await Promise.all([
      heapSource({ resolveVariable: own }),
      heapSource({ resolveVariable: provider }),
    ]);

    // Assess
    expect(withOwn.SENDER_NODE_OPTIONS).toContain('--max-old-space-size=461');
    expect(withProvider.SENDER_NODE_OPTIONS).toContain(
      '--max-old-space-size=231',
    );
  });

  it("keep the provider's NODE_OPTIONS, adding heap flags only where it names none", async () => {
    // Prepare
    const withSourceMaps = resolverFor({
      'self:provider.memorySize': 256,
      'self:provider.environment.NODE_OPTIONS': '--enable-source-maps',
    });
    const withHeapFlags = resolverFor({
      'self:provider.memorySize': 256,
      'self:provider.environment.NODE_OPTIONS': '--max-old-space-size=200',
    });

    // Act
    const [added, kept] = await Promise.all([
      heapSource({ resolveVariable: withSourceMaps }),
      heapSource({ resolveVariable: withHeapFlags }),
    ]);

    // Assess
    expect(added.SENDER_NODE_OPTIONS).toBe(
      '--enable-source-maps --max-semi-space-size=2 --max-old-space-size=231',
    );
    expect(kept.SENDER_NODE_OPTIONS).toBe('--max-old-space-size=200');
  });

  it('make the bench start node as the bootstrap would: without its heap flags', () => {
    // Act
    const sender = bootstrapNodeArgs({
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      NODE_OPTIONS: senderNodeOptions(256),
    });
    const other = bootstrapNodeArgs({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256' });

    // Assess
    expect(sender).toEqual([]);
    expect(other).toEqual([
      '--max-semi-space-size=12',
      '--max-old-space-size=231',
    ]);
  });
});
