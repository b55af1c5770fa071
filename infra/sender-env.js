// The sender's environment from its stage parameters, checked when the stack
// is packaged. The function checks the same variables at cold start
// (shared/config.ts), but only then: a misspelt `smsDryRun=yes` would
// package, deploy, and send every SMS event to the dead-letter queue.
// test/unit/infra/sender-env.test.ts holds these rules to the function's.
//
// osls calls the default export when it resolves
// `${file(infra/sender-env.js):NAME}` (infra/functions/custom-sms-sender.yml).
// Plain CommonJS: osls loads it with require().

const DRY_RUN = ['true', 'false', '1', '0', ''];
const E164 = /^\+[1-9]\d{6,14}$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const listOf = (value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

/**
 * @param {{ smsDryRun?: unknown, smsSandboxNumbers?: unknown, snsRegion?: unknown }} params -
 *   the resolved stage parameters
 * @returns {{ SMS_DRY_RUN: string, SMS_SANDBOX_NUMBERS: string, SNS_REGIONS: string }}
 * @throws {Error} naming each parameter that breaks its rule (never a
 *   number's digits: the sandbox list holds people's phone numbers)
 */
function senderEnvironment(params) {
  const text = (value) =>
    value === undefined || value === null ? '' : String(value);
  const dryRun = text(params.smsDryRun);
  const numbers = listOf(text(params.smsSandboxNumbers));
  const regions = listOf(text(params.snsRegion));
  const problems = [];
  if (!DRY_RUN.includes(dryRun)) {
    problems.push(`smsDryRun "${dryRun.slice(0, 16)}" (one of true, false)`);
  }
  const badNumbers = numbers
    .map((number, index) => (E164.test(number) ? undefined : index + 1))
    .filter((index) => index !== undefined);
  if (badNumbers.length > 0) {
    problems.push(
      `smsSandboxNumbers entry ${badNumbers.join(', ')} (E.164: + country code and number, no spaces)`,
    );
  }
  const badRegions = regions.filter((region) => !AWS_REGION.test(region));
  if (badRegions.length > 0) {
    problems.push(
      `snsRegion ${badRegions.map((region) => `"${region.slice(0, 32)}"`).join(', ')} (AWS region names, e.g. eu-west-1)`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `stage parameters the SMS sender cannot use: ${problems.join('; ')}`,
    );
  }
  return {
    SMS_DRY_RUN: dryRun,
    SMS_SANDBOX_NUMBERS: text(params.smsSandboxNumbers),
    SNS_REGIONS: text(params.snsRegion),
  };
}

module.exports = async ({ resolveVariable }) =>
  senderEnvironment({
    smsDryRun: await resolveVariable('param:smsDryRun'),
    smsSandboxNumbers: await resolveVariable('param:smsSandboxNumbers'),
    snsRegion: await resolveVariable('param:snsRegion'),
  });
module.exports.senderEnvironment = senderEnvironment;
