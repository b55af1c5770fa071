// esbuild plugins shared by the deploy build and `npm run build`.
// Each one trims what a Lambda bundle loads at cold start, matches exactly
// the module it replaces (nothing else is touched), and is listed with the
// reason it is safe. Measured effect: shared/reference/perf-frontier.md.
const Module = require('node:module');
const path = require('node:path');

const SHIMS = path.join(__dirname, 'esbuild-shims');
const escapeRegExp = (text) => text.replace(/[/\\^$*+?.()|[\]{}@-]/g, '\\$&');

/**
 * A plugin that resolves `filter` to `infra/esbuild-shims/<shim>` when
 * `applies(args)` holds, and leaves every other import alone. The shim
 * itself always gets the real module.
 *
 * @param {string} shim - file name in infra/esbuild-shims
 * @param {RegExp} filter - the import specifier it replaces
 * @param {(args: import('esbuild').OnResolveArgs) => boolean} applies
 * @returns {import('esbuild').Plugin}
 */
function redirect(shim, filter, applies) {
  const file = path.join(SHIMS, shim);
  return {
    name: shim.replace(/\.ts$/, ''),
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.importer !== file && applies(args) ? { path: file } : undefined,
      );
    },
  };
}

/**
 * A plugin that resolves `filter` to the given module source when
 * `applies(args)` holds (a virtual module in its own namespace), and leaves
 * every other import alone.
 *
 * @param {string} name - plugin name and namespace
 * @param {RegExp} filter - the import specifier it replaces
 * @param {(args: import('esbuild').OnResolveArgs) => boolean} applies
 * @param {string} contents - the replacing module's JavaScript
 * @returns {import('esbuild').Plugin}
 */
function replaceImport(name, filter, applies, contents) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, (args) =>
        applies(args) ? { path: args.path, namespace: name } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: name }, () => ({
        contents,
        loader: 'js',
      }));
    },
  };
}

/** A directory of an @aws-crypto package's build (module or main). */
const esdkBuild = (pkg) =>
  new RegExp(
    `@aws-crypto[\\\\/]${pkg}[\\\\/]build[\\\\/](module|main)[\\\\/]src`,
  );

/**
 * Env-only credentials: `@aws-sdk/credential-provider-node` → a provider
 * that reads the environment only. Lambda always injects the role's
 * credentials there; the full chain (SSO, INI, IMDS, nested STS/SSO
 * clients) is never used in Lambda. The shim itself still imports the real
 * env provider. Local runs of a bundle need AWS_* credentials exported.
 */
const envCredentials = () =>
  redirect(
    'env-credentials.ts',
    /^@aws-sdk\/credential-provider-node$/,
    () => true,
  );

/**
 * Native ECC/PEM helpers: the ESDK's bn.js/asn1.js point (de)compression
 * and PEM encoding → OpenSSL through node:crypto, with the same exports.
 * Matches only those three files of @aws-crypto/material-management.
 * Proven byte-identical by test/unit/sms/native-ecc.test.ts.
 */
const nativeEcc = () =>
  redirect(
    'native-ecc.ts',
    /^\.\/(ecc_decode|ecc_encode|pem_helpers)$/,
    (args) => esdkBuild('material-management').test(args.resolveDir),
  );

/**
 * bn.js in the message format's 64-bit content lengths → the same four
 * operations on BigInt (infra/esbuild-shims/bn-uint64.ts). Matches only
 * imports from @aws-crypto/serialize; with native ECC those are the last
 * users of bn.js in a bundle. Proven against bn.js by
 * test/unit/infra/bn-uint64.test.ts.
 */
const bnUint64 = () =>
  redirect('bn-uint64.ts', /^bn\.js$/, (args) =>
    esdkBuild('serialize').test(args.importer),
  );

/**
 * A KMS client for the Encryption SDK's keyring with only the three methods
 * it calls (decrypt, encrypt, generateDataKey) instead of the aggregated
 * client with every KMS command. Applies only when the importer is
 * @aws-crypto/kms-keyring-node; the shim itself imports the real package.
 */
const kmsKeyringClient = () =>
  redirect('kms-keyring-client.ts', /^@aws-sdk\/client-kms$/, (args) =>
    /@aws-crypto[\\/]kms-keyring-node[\\/]/.test(args.importer),
  );

/**
 * mnemonist's LRU cache → a Map-based one with the same results
 * (infra/esbuild-shims/lru-cache.ts), for the DynamoDB client's endpoint
 * cache only: the client builds it (typed arrays for 1,000 entries) even
 * though endpoint discovery is off. Matches only imports from
 * @aws-sdk/endpoint-cache. Proven against mnemonist by
 * test/unit/infra/lru-cache.test.ts.
 */
const endpointCacheLru = () =>
  redirect('lru-cache.ts', /^mnemonist\/lru-cache$/, (args) =>
    /@aws-sdk[\\/]endpoint-cache[\\/]/.test(args.importer),
  );

/**
 * libphonenumber-js exports its metadata as JS for `import` and as JSON for
 * `require`. The policy core imports it `with { type: 'text' }` to embed one
 * string literal (cheaper to load than an object literal): point those
 * imports at the JSON files so the text is JSON.
 */
function phoneMetadataAsJson() {
  const names = ['metadata.min.json', 'metadata.max.json'];
  return {
    name: 'phone-metadata-json',
    setup(build) {
      const filter = new RegExp(
        `^libphonenumber-js/(${names.map(escapeRegExp).join('|')})$`,
      );
      build.onResolve({ filter }, (args) => ({
        path: require.resolve(args.path, { paths: [args.resolveDir] }),
      }));
    },
  };
}

/**
 * Powertools Logger imports `randomInt` from node:crypto for its debug log
 * sampling only, which the suite never configures; loading node:crypto costs
 * about 1.5 ms of every cold start. The Logger gets a `randomInt` that loads
 * node:crypto on its first call instead. Matches only the Logger's import.
 */
function loggerLazyCrypto() {
  return replaceImport(
    'logger-lazy-crypto',
    /^node:crypto$/,
    (args) => /@aws-lambda-powertools[\\/]logger[\\/]/.test(args.importer),
    'export const randomInt = (...args) => require("node:crypto").randomInt(...args);',
  );
}

/**
 * Event streams: the SDK core's HTTP protocol loads its event-stream serde
 * with `import("@smithy/core/event-streams")`, only for an operation with
 * an event stream. None of the suite's clients (DynamoDB, KMS, SNS, End
 * User Messaging SMS) has one, yet esbuild inlines the import, and V8
 * compiled its ~20 KB at every cold start. The import resolves to a module
 * that throws instead, naming the cause, should a client ever need it.
 * Matches only that import() from @smithy/core.
 */
function eventStreamsStub() {
  return replaceImport(
    'event-streams-stub',
    /^@smithy\/core\/event-streams$/,
    (args) =>
      args.kind === 'dynamic-import' &&
      /@smithy[\\/]core[\\/]/.test(args.importer),
    'throw new Error("event streams are not bundled (eventStreamsStub in infra/esbuild-plugins.cjs)");',
  );
}

/**
 * The SDK core's checksum module imports node:zlib for its CRC32 class,
 * which only event streams use (see eventStreamsStub); loading node:zlib
 * cost about 0.8 ms of every cold start. The module gets a `crc32` that
 * loads node:zlib on its first call instead (Node >= 20.15 has
 * `zlib.crc32`). Matches only imports from @smithy/core's checksum module.
 */
function checksumLazyZlib() {
  return replaceImport(
    'checksum-lazy-zlib',
    /^node:zlib$/,
    (args) => /@smithy[\\/]core[\\/].*[\\/]checksum[\\/]/.test(args.importer),
    'export const crc32 = (...args) => require("node:zlib").crc32(...args);',
  );
}

/**
 * An AWS SDK client reads one field of its package.json (`version`, for
 * the user agent), but the default import bundled the whole file (2 to 2.5
 * KB per client: scripts, dependencies, exports map). Each client's
 * package.json is bundled as `{ "version": ... }` only. Matches only
 * @aws-sdk/client-* package.json files.
 */
function sdkPackageVersionOnly() {
  const fs = require('node:fs');
  return {
    name: 'sdk-package-version-only',
    setup(build) {
      build.onLoad(
        { filter: /@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/ },
        (args) => {
          const { version } = JSON.parse(fs.readFileSync(args.path, 'utf8'));
          return { contents: JSON.stringify({ version }), loader: 'json' };
        },
      );
    },
  };
}

/**
 * Lazy chunks: a module named `*.chunk.ts` is not bundled into the function's
 * file but built as its own CommonJS file beside it (`<bundle>.<name>.js`,
 * e.g. `handler.totp-sdk.js`), which the bundle `require`s the first time the
 * import runs. V8 compiles the whole bundle file at cold start, even code
 * that runs only later (about 60 ms per MB measured), so a dependency that
 * only some invocations need (the TOTP store for Define's password round,
 * the velocity client of a Pre Sign-up with no limit) costs nothing until
 * then.
 *
 * Rules, enforced here:
 * - a chunk module only re-exports packages (no project module: its state,
 *   e.g. an error class checked with instanceof, would be duplicated);
 * - it is imported with import() or require(), never statically.
 *
 * The file name starts with the bundle's own (`handler.`), so
 * serverless-esbuild packs it into that function's zip only.
 */
function lazyChunks(otherPlugins) {
  const PROXY = 'lazy-chunk';
  return {
    name: 'lazy-chunks',
    setup(build) {
      const options = build.initialOptions;
      const entries = Array.isArray(options.entryPoints)
        ? options.entryPoints
        : Object.values(options.entryPoints ?? {});
      const entry =
        typeof entries[0] === 'string' ? entries[0] : entries[0]?.in;
      const outdir = options.outfile
        ? path.dirname(options.outfile)
        : options.outdir;
      const base = path.basename(
        options.outfile ?? entry ?? 'index',
        path.extname(options.outfile ?? entry ?? 'index.js'),
      );
      const extension = options.outfile
        ? path.extname(options.outfile)
        : (options.outExtension?.['.js'] ?? '.js');
      /** chunk source path → output file name */
      const chunks = new Map();
      const fileOf = (source) =>
        `${base}.${path.basename(source).replace(/\.chunk\.[cm]?[jt]s$/, '')}${extension}`;

      build.onResolve({ filter: /\.chunk$/ }, async (args) => {
        if (args.pluginData === PROXY) return undefined;
        if (args.kind !== 'dynamic-import' && args.kind !== 'require-call') {
          return {
            errors: [
              {
                text: `${args.path} is a lazy chunk: load it with import() or require(), not a static import`,
              },
            ],
          };
        }
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: PROXY,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        chunks.set(resolved.path, fileOf(resolved.path));
        return { path: resolved.path, namespace: PROXY };
      });
      // The import becomes a tiny CommonJS module that requires the file
      // (esbuild evaluates it on first use, like any lazily imported module).
      build.onLoad({ filter: /.*/, namespace: PROXY }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(`./${chunks.get(args.path)}`)});`,
        loader: 'js',
      }));
      build.onResolve({ filter: /.*/, namespace: PROXY }, (args) => ({
        path: args.path,
        external: true,
      }));

      build.onEnd(async (result) => {
        if (result.errors.length > 0 || chunks.size === 0) return;
        // The chunk's own build: the same options, its own entry and file.
        const {
          entryPoints: _entryPoints,
          outfile: _outfile,
          outdir: _outdir,
          outbase: _outbase,
          outExtension: _outExtension,
          metafile: _metafile,
          plugins: _plugins,
          ...shared
        } = options;
        const project = path.resolve(__dirname, '..');
        for (const [source, file] of chunks) {
          const built = await build.esbuild.build({
            ...shared,
            entryPoints: [source],
            outfile: path.join(outdir, file),
            plugins: otherPlugins,
            metafile: true,
          });
          const strays = Object.keys(built.metafile.inputs)
            .map((input) =>
              path.resolve(options.absWorkingDir ?? process.cwd(), input),
            )
            .filter(
              (input) =>
                input !== source &&
                input.startsWith(project + path.sep) &&
                !input.includes(`${path.sep}node_modules${path.sep}`) &&
                !input.startsWith(SHIMS + path.sep),
            );
          if (strays.length > 0) {
            result.errors.push({
              text: `${path.relative(project, source)} may only re-export packages; it pulls in ${strays
                .map((input) => path.relative(project, input))
                .join(', ')}`,
            });
          }
        }
      });
    },
  };
}

/**
 * Prechecked configuration: the bundle's `shared/prechecked.ts` becomes the
 * suite.json sections that infra/precheck.ts validated at build time (same
 * zod schemas, same template rules as a cold start), and the build fails
 * on any bad key or broken template rule. A cold start then skips
 * validating what cannot have changed since (see shared/prechecked.ts).
 * The check runs once per build, as its own small bundle built with the
 * bundle's other plugins (so it sees the files the bundle embeds, even when
 * a plugin replaces one), evaluated here.
 *
 * @param {{ suite?: unknown }} [options] - `suite`: a suite.json object to
 *   check instead of config/suite.json (tests)
 * @returns {import('esbuild').Plugin}
 */
function precheckedConfig(options = {}) {
  const entry = path.join(__dirname, 'precheck.ts');
  return {
    name: 'prechecked-config',
    setup(build) {
      build.onLoad({ filter: /[\\/]shared[\\/]prechecked\.ts$/ }, async () => {
        // The check is built with the same plugins as the bundle, so it
        // sees the suite.json and catalogue files the bundle embeds.
        const plugins = (build.initialOptions.plugins ?? []).filter(
          (plugin) =>
            !['prechecked-config', 'lazy-chunks'].includes(plugin.name),
        );
        let value;
        try {
          value = await runPrecheck(
            build.esbuild,
            entry,
            plugins,
            options.suite,
          );
        } catch (error) {
          return { errors: [{ text: `prechecked-config: ${error.message}` }] };
        }
        return {
          contents: `export const PRECHECKED = ${JSON.stringify(value)};`,
          loader: 'js',
          watchFiles: value.watchFiles,
        };
      });
    },
  };
}

/** Bundles infra/precheck.ts, evaluates it, and calls `precheck(suite)`. */
async function runPrecheck(esbuild, entry, plugins, suite) {
  const built = await esbuild.build({
    entryPoints: [entry],
    plugins,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const filename = `${entry}.cjs`;
  const compiled = new Module(filename, module);
  compiled.filename = filename;
  compiled._compile(built.outputFiles[0].text, filename);
  const project = path.resolve(__dirname, '..');
  const inputs = Object.keys(built.metafile.inputs)
    .map((input) => path.resolve(process.cwd(), input))
    .filter(
      (input) =>
        input.startsWith(project + path.sep) &&
        !input.includes(`${path.sep}node_modules${path.sep}`),
    );
  const result = compiled.exports.precheck(suite);
  // Not embedded: the files (settings, catalogue, schemas, rules) a
  // watching build must check again when one changes.
  Object.defineProperty(result, 'watchFiles', { value: inputs });
  return result;
}

/** @returns {import('esbuild').Plugin[]} */
function all() {
  const plugins = [
    envCredentials(),
    nativeEcc(),
    bnUint64(),
    kmsKeyringClient(),
    endpointCacheLru(),
    phoneMetadataAsJson(),
    loggerLazyCrypto(),
    eventStreamsStub(),
    checksumLazyZlib(),
    sdkPackageVersionOnly(),
    precheckedConfig(),
  ];
  return [lazyChunks(plugins), ...plugins];
}

module.exports = { all, precheckedConfig };
