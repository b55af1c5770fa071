// The one esbuild configuration: used by serverless-esbuild when packaging
// (custom.esbuild.config in serverless.yml) and by `npm run build`, so the
// bundles built locally are the code that deploys.
//
// - CommonJS output, loaded by Lambda with require(): faster to load than ESM
//   on Node 20/22 (see shared/reference/perf-frontier.md).
// - mainFields module,main: takes the SDK's and the ESDK's ES module builds,
//   which esbuild can tree-shake.
// - target node20: runs on the local Node 20 and on the nodejs22.x runtime.
const plugins = require('./esbuild-plugins.cjs');

module.exports = () => ({
  bundle: true,
  minify: true,
  sourcemap: false,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  legalComments: 'none',
  keepNames: false,
  exclude: [],
  // serverless-esbuild: build once, without an esbuild context. With one,
  // a failed build leaves the context undisposed and `osls package`,
  // `deploy` and `invoke local` print the error but never exit
  // (floydspace/serverless-esbuild#532); we never rebuild (no watch).
  skipRebuild: true,
  plugins: plugins.all(),
});
