/**
 * The account label a client may show ("code for a***@e***.com"): masked,
 * so the challenge never reveals a full address or number. Real and unknown
 * users get labels of the same shape.
 */

const EMAIL = /^([^@\s]+)@([^@\s.]+)((?:\.[^@\s.]+)+)$/;
const PHONE = /^\+\d{7,15}$/;

function maskEmail(match: RegExpExecArray): string {
  const [, local = '', domain = '', rest = ''] = match;
  const tld = rest.slice(rest.lastIndexOf('.'));
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}

/**
 * Masks the best identifier the user would recognise: the email address,
 * else the phone number, else the user name.
 *
 * @param userAttributes - the event's attributes (may be empty)
 * @param userName - the event's user name
 * @example
 * maskedAccountLabel({ email: 'ada@example.com' }, 'x') // 'a***@e***.com'
 */
export function maskedAccountLabel(
  userAttributes: Readonly<Record<string, string>>,
  userName: string | undefined,
): string {
  const candidates = [userAttributes.email, userName ?? ''];
  for (const candidate of candidates) {
    const match = candidate ? EMAIL.exec(candidate) : null;
    if (match) return maskEmail(match);
  }
  const phone = userAttributes.phone_number ?? userName ?? '';
  if (PHONE.test(phone)) return `+${'*'.repeat(7)}${phone.slice(-4)}`;
  const name = userName ?? '';
  return `${name.slice(0, 2)}***`;
}

/**
 * The label inside the `otpauth://` URI (shown in the authenticator app):
 * the user's email address, else their user name. Only ever sent in the
 * enrollment round, to the user who just proved their password.
 *
 * @param userAttributes - the event's attributes
 * @param userName - the event's user name
 */
export function uriAccountLabel(
  userAttributes: Readonly<Record<string, string>>,
  userName: string | undefined,
): string {
  return (userAttributes.email ?? userName ?? 'user').slice(0, 128);
}
