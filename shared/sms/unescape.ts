/**
 * Undoes Cognito's escaping of a temporary password: Cognito HTML-escapes
 * `<` and `>` (as `&lt;` and `&gt;`) before it encrypts an AdminCreateUser
 * secret, and nothing else. Codes are never escaped.
 *
 * @param plaintext - the decrypted secret
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html
 * @example
 * unescapeTemporaryPassword('Tq7&lt;697&gt;zP!'); // 'Tq7<697>zP!'
 */
export function unescapeTemporaryPassword(plaintext: string): string {
  return plaintext.replace(/&(lt|gt);/g, (_match, entity: string) =>
    entity === 'lt' ? '<' : '>',
  );
}
