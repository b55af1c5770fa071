/**
 * tldts-icann (the ICANN section of the Public Suffix List), built as a lazy
 * chunk (infra/esbuild-plugins.cjs): Pre Sign-up loads it only for a
 * per-email-domain velocity limit, which is off by default. Only package
 * re-exports belong here.
 */
export { getDomain } from 'tldts-icann';
