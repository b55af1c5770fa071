/**
 * Drops the AWS SDK's NodeVersionSupportWarning from script output (local
 * Node is 20; deployed functions run nodejs22.x). Every other warning still
 * prints. Import first.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const type =
    typeof rest[0] === 'string'
      ? rest[0]
      : (rest[0] as { type?: string } | undefined)?.type;
  if (
    type === 'NodeVersionSupportWarning' ||
    text.includes('NodeVersionSupportWarning')
  )
    return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
