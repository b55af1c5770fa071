// V8 heap flags for the SMS sender, set in its NODE_OPTIONS.
//
// Lambda's Node.js runtime starts node with --max-semi-space-size and
// --max-old-space-size derived from the function's memory (new space a
// tenth of it, each semi-space half of that, old space the rest), unless
// NODE_OPTIONS already names either flag: then it passes neither. So the
// sender sets both: old space as Lambda would, semi-spaces of 2 MB instead
// of 12. V8 fills whatever young generation it may as a warm function
// allocates: with 12 MB semi-spaces that is 32 MB of a 256 MB function's
// memory for objects that live for one SMS (Node 20+ alone would pick
// about 1 MB under a 512 MB memory limit: nodejs/node#55495).
// `npm run bench` measured the sender at 256 MB: peak RSS 110 -> 80 MB on
// Node 20 and 116 -> 91 MB on Node 22, warm CPU time unchanged within the
// noise.
//
// osls calls the default export when it resolves
// `${file(infra/heap.js):SENDER_NODE_OPTIONS}`; bench/runner.ts gives the
// sender the same options. Plain CommonJS: osls loads it with require().

/** The sender's semi-space size, MB. */
const SENDER_SEMI_SPACE_MB = 2;

/**
 * @param {number} memoryMb - the function's memory size
 * @returns {string} NODE_OPTIONS for the sender at that size
 * @throws {Error} when the size is not one Lambda allows
 */
function senderNodeOptions(memoryMb) {
  if (!Number.isInteger(memoryMb) || memoryMb < 128 || memoryMb > 10240) {
    throw new Error(
      `the SMS sender's memory size must be an integer from 128 to 10240 MB, not "${String(memoryMb).slice(0, 16)}"`,
    );
  }
  const oldSpaceMb = memoryMb - Math.floor(memoryMb / 10);
  return `--max-semi-space-size=${SENDER_SEMI_SPACE_MB} --max-old-space-size=${oldSpaceMb}`;
}

const HEAP_FLAG = /--max[-_](semi|old)[-_]space[-_]size/;

/**
 * Whether node options name a heap flag, the test Lambda's bootstrap
 * applies to NODE_OPTIONS before it adds its own.
 *
 * @param {unknown} options - NODE_OPTIONS
 */
const namesHeapFlags = (options) =>
  typeof options === 'string' && HEAP_FLAG.test(options);

/**
 * The sender's NODE_OPTIONS given the provider's: those are kept (a
 * function's variable replaces the provider's, so they would be lost), and
 * the heap flags added unless they name heap flags of their own.
 *
 * @param {unknown} inherited - provider.environment.NODE_OPTIONS, if any
 * @param {number} memoryMb - the function's memory size
 */
function senderNodeOptionsWith(inherited, memoryMb) {
  const kept = typeof inherited === 'string' ? inherited.trim() : '';
  if (namesHeapFlags(kept)) return kept;
  return [kept, senderNodeOptions(memoryMb)].filter(Boolean).join(' ');
}

module.exports = async ({ resolveVariable }) => {
  const own = await resolveVariable(
    'self:functions.customSmsSender.memorySize, null',
  );
  const memory = own ?? (await resolveVariable('self:provider.memorySize'));
  const inherited = await resolveVariable(
    'self:provider.environment.NODE_OPTIONS, null',
  );
  return {
    SENDER_NODE_OPTIONS: senderNodeOptionsWith(inherited, Number(memory)),
  };
};
module.exports.senderNodeOptions = senderNodeOptions;
module.exports.SENDER_SEMI_SPACE_MB = SENDER_SEMI_SPACE_MB;
module.exports.namesHeapFlags = namesHeapFlags;
