import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cfnLint, packageStack } from '../support/package';
import { ROOT } from '../support/provision';

const FUNCTION_KEYS = [
  'customSmsSender',
  'customMessage',
  'defineAuthChallenge',
  'createAuthChallenge',
  'verifyAuthChallengeResponse',
  'preSignUp',
];

describe('deployment package', () => {
  it('npm run build wrote one bundle per function, each exporting handler', async () => {
    // Act
    const built = readdirSync(path.join(ROOT, 'dist')).sort();

    // Assess
    expect(built).toEqual([...FUNCTION_KEYS].sort());
    for (const key of FUNCTION_KEYS) {
      const file = path.join(ROOT, 'dist', key, 'index.js');
      expect(existsSync(file)).toBe(true);
    }
  });

  it('osls package writes a template that cfn-lint passes', () => {
    // Act
    const stack = packageStack(['--stage', 'ci']);
    const lint = cfnLint(stack);

    // Assess
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
    const functions = Object.entries(stack.template.Resources)
      .filter(
        ([, resource]: [string, any]) =>
          resource.Type === 'AWS::Lambda::Function',
      )
      .map(([, resource]: [string, any]) => resource.Properties);
    expect(functions).toHaveLength(6);
    for (const fn of functions) {
      expect(fn.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
      expect(fn.Architectures).toEqual(['arm64']);
    }
  });
});
