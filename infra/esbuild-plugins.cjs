// esbuild plugins shared by the deploy build and `npm run build`.
// Each one trims what a Lambda bundle loads at cold start, matches exactly
// the module it replaces (nothing else is touched), and is listed with the
// reason it is safe. Measured effect: shared/reference/perf-frontier.md.
const path = require('node:path');

const SHIMS = path.join(__dirname, 'esbuild-shims');
const escapeRegExp = (text) => text.replace(/[/\\^$*+?.()|[\]{}@-]/g, '\\$&');

/**
 * Env-only credentials: `@aws-sdk/credential-provider-node` → a provider
 * that reads the environment only. Lambda always injects the role's
 * credentials there; the full chain (SSO, INI, IMDS, nested STS/SSO
 * clients) is never used in Lambda. The shim itself still imports the real
 * env provider. Local runs of a bundle need AWS_* credentials exported.
 */
function envCredentials() {
  const shim = path.join(SHIMS, 'env-credentials.ts');
  return {
    name: 'env-credentials',
    setup(build) {
      build.onResolve(
        { filter: /^@aws-sdk\/credential-provider-node$/ },
        (args) => (args.importer === shim ? undefined : { path: shim }),
      );
    },
  };
}

/**
 * Native ECC/PEM helpers: the ESDK's bn.js/asn1.js point (de)compression
 * and PEM encoding → OpenSSL through node:crypto, with the same exports.
 * Matches only those three files of @aws-crypto/material-management.
 * Proven byte-identical by test/unit/sms/native-ecc.test.ts.
 */
function nativeEcc() {
  const shim = path.join(SHIMS, 'native-ecc.ts');
  return {
    name: 'native-ecc',
    setup(build) {
      build.onResolve(
        { filter: /^\.\/(ecc_decode|ecc_encode|pem_helpers)$/ },
        (args) =>
          /@aws-crypto[\\/]material-management[\\/]build[\\/](module|main)[\\/]src$/.test(
            args.resolveDir,
          )
            ? { path: shim }
            : undefined,
      );
    },
  };
}

/**
 * A KMS client for the Encryption SDK's keyring with only the three methods
 * it calls (decrypt, encrypt, generateDataKey) instead of the aggregated
 * client with every KMS command. Applies only when the importer is
 * @aws-crypto/kms-keyring-node; the shim itself imports the real package.
 */
function kmsKeyringClient() {
  const shim = path.join(SHIMS, 'kms-keyring-client.ts');
  return {
    name: 'kms-keyring-client',
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\/client-kms$/ }, (args) =>
        /@aws-crypto[\\/]kms-keyring-node[\\/]/.test(args.importer)
          ? { path: shim }
          : undefined,
      );
    },
  };
}

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

/** @returns {import('esbuild').Plugin[]} */
function all() {
  return [
    envCredentials(),
    nativeEcc(),
    kmsKeyringClient(),
    phoneMetadataAsJson(),
  ];
}

module.exports = { all };
