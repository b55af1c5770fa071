/**
 * libphonenumber-js (its parser and `min` metadata as JSON text), built as a
 * lazy chunk (infra/esbuild-plugins.cjs): Pre Sign-up compiles it only when
 * a sign-up carries a number that a rule needs parsed (the shipped policy
 * never does); the SMS sender loads it at cold start. Only package
 * re-exports belong here.
 */
export { parsePhoneNumberFromString } from 'libphonenumber-js/core';
export { default as minMetadataText } from 'libphonenumber-js/metadata.min.json' with {
  type: 'text',
};
