/**
 * libphonenumber's `max` metadata (line types) as JSON text, built as a lazy
 * chunk (infra/esbuild-plugins.cjs): compiled only when a phone rule names
 * line types. Only package re-exports belong here.
 */
export { default } from 'libphonenumber-js/metadata.max.json' with {
  type: 'text',
};
