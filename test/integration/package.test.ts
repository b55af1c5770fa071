import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../support/local-stack';
import { ROOT } from '../support/provision';

const FUNCTION_KEYS = [
  'customSmsSender',
  'customMessage',
  'defineAuthChallenge',
  'createAuthChallenge',
  'verifyAuthChallengeResponse',
  'preSignUp',
];

/**
 * The modules with code in `key`'s bundle file (esbuild's metafile lists
 * tree-shaken inputs too, with 0 bytes in the output).
 */
function bundledModules(key: string): string[] {
  const meta = JSON.parse(
    readFileSync(path.join(ROOT, 'dist', key, 'meta.json'), 'utf8'),
  ) as {
    outputs: Record<
      string,
      { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }
    >;
  };
  const bundle = Object.values(meta.outputs).find(
    (output) => output.entryPoint,
  );
  return Object.entries(bundle?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
}

// osls package + cfn-lint of both pool modes: deployment*.test.ts.
describe('npm run build', () => {
  it('wrote one bundle per function, each exporting handler', () => {
    // Act
    const built = readdirSync(path.join(ROOT, 'dist'))
      .filter((entry) => existsSync(path.join(ROOT, 'dist', entry, 'index.js')))
      .sort();

    // Assess
    expect(built).toEqual([...FUNCTION_KEYS].sort());
    for (const key of FUNCTION_KEYS) {
      expect(typeof loadBundle(key).handler).toBe('function');
    }
  });

  it.each(FUNCTION_KEYS)(
    "%s's bundle holds none of the modules the build plugins replace",
    (key) => {
      // Prepare
      const inputs = bundledModules(key);

      // Assess: infra/esbuild-plugins.cjs (env credentials, native ECC,
      // bn-uint64); the shims themselves are there when a bundle needs them
      expect(inputs.length).toBeGreaterThan(10);
      expect(
        inputs.filter((file) => /node_modules\/(bn|asn1)\.js\//.test(file)),
      ).toEqual([]);
      expect(
        inputs.filter((file) =>
          /credential-provider-(node|ini|sso|process|web-identity|imds)\//.test(
            file,
          ),
        ),
      ).toEqual([]);
      expect(
        inputs.filter((file) =>
          /material-management\/build\/.*\/(ecc_decode|ecc_encode|pem_helpers)\.js$/.test(
            file,
          ),
        ),
      ).toEqual([]);
    },
  );

  it('the sender bundle decrypts through the shims, not without them', () => {
    // Prepare
    const inputs = bundledModules('customSmsSender');

    // Assess
    expect(inputs).toEqual(
      expect.arrayContaining([
        'infra/esbuild-shims/bn-uint64.ts',
        'infra/esbuild-shims/native-ecc.ts',
        'infra/esbuild-shims/env-credentials.ts',
      ]),
    );
  });
});
