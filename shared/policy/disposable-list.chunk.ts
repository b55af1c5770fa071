/**
 * The disposable-mailbox list as JSON text, built as a lazy chunk
 * (infra/esbuild-plugins.cjs): compiled only when `policy.disposable.mode`
 * is `deny`. Only package re-exports belong here.
 */
export { default } from 'disposable-email-domains-js/dist/dict/disposable_email_blocklist.json' with {
  type: 'text',
};
