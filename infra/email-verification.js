// The new pool's VerificationMessageTemplate, from the suite.json the
// bundles embed, so the pool verifies email the way Custom Message writes
// it (`templates.emailVerification`):
//
// - `code` (the default): CONFIRM_WITH_CODE, the email carries {####};
// - `link`: refused. A link points at the pool's hosted domain
//   (`/confirmUser`), which this stack does not create, and a pool left on
//   CONFIRM_WITH_CODE would get bodies without {####}: nobody could confirm
//   an email. Use poolMode=existing with a pool that verifies by link and
//   has a domain.
//
// osls calls the default export when it resolves
// `${file(infra/email-verification.js)}` (infra/params/pool-new.yml), only
// for poolMode=new. Plain CommonJS: osls loads it with require().
const suite = require('../config/suite.json');

/**
 * @param {{ emailVerification?: string } | undefined} templates -
 *   `templates` of suite.json
 * @returns {{ DefaultEmailOption: string }}
 * @throws {Error} for `link`, naming the setting and what to do
 */
function verificationTemplate(templates) {
  const mode = templates?.emailVerification ?? 'code';
  if (mode === 'link') {
    throw new Error(
      'templates.emailVerification "link" needs a pool that verifies email by link and has a domain; poolMode=new creates neither: use "code", or poolMode=existing with such a pool',
    );
  }
  return { DefaultEmailOption: 'CONFIRM_WITH_CODE' };
}

module.exports = () => verificationTemplate(suite.templates);
module.exports.verificationTemplate = verificationTemplate;
