/**
 * The account label a client may show ("code for a***@e***.com"): masked,
 * so the challenge never reveals a full address or number. Real and unknown
 * users get labels of the same shape.
 */

const EMAIL = /^([^@\s]+)@([^@\s.]+)((?:\.[^@\s.]+)+)$/;
const PHONE = /^\+\d{7,15}$/;

/**
 * The first `count` characters (code points) of `text`: never half of a
 * surrogate pair, which would make the label malformed UTF-16 (and make
 * `encodeURIComponent` throw on the otpauth URI). A lone surrogate already
 * in the text becomes U+FFFD.
 */
function leading(text: string, count: number): string {
  return Array.from(text.slice(0, 2 * count).toWellFormed())
    .slice(0, count)
    .join('');
}

function maskEmail(match: RegExpExecArray): string {
  const [, local = '', domain = '', rest = ''] = match;
  const tld = rest.slice(rest.lastIndexOf('.')).toWellFormed();
  return `${leading(local, 1)}***@${leading(domain, 1)}***${tld}`;
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
  return `${leading(name, 2)}***`;
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
  return leading(userAttributes.email ?? userName ?? 'user', 128);
}
