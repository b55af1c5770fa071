/**
 * Demo flow of the Custom SMS Sender (issue 3): codes encrypted exactly as
 * Cognito encrypts them, handed to the bundled sender, and the SMS that
 * moto's SNS recorded, i.e. what would reach the phone. The message text is
 * printed in full on purpose (it is what the user reads); it never goes
 * through the logger. Phone numbers are shown with their last 4 digits.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { maskPhoneNumber } from '../../shared/redact';
import {
  encryptLikeCognito,
  escapeLikeCognito,
} from '../../test/support/cognito-ciphertext';
import type { DemoContext } from './context';

const POOL = 'eu-central-1_DemoSms01';
const KEY = 'customSmsSender';

const digits = (length: number) =>
  Array.from({ length }, () => randomInt(0, 10)).join('');

function senderEvent(options: {
  triggerSource: string;
  code: string;
  phone: string;
  userName: string;
  locale?: string;
}) {
  return {
    version: '1',
    region: 'eu-central-1',
    userPoolId: POOL,
    userName: options.userName,
    callerContext: {
      awsSdkVersion: 'aws-sdk-unknown-unknown',
      clientId: 'CLIENT_ID_NOT_APPLICABLE',
    },
    triggerSource: options.triggerSource,
    request: {
      type: 'customSMSSenderRequestV1',
      code: options.code,
      userAttributes: {
        sub: options.userName,
        phone_number: options.phone,
        phone_number_verified: 'false',
        ...(options.locale ? { locale: options.locale } : {}),
      },
    },
    response: {},
  };
}

async function printDelivered(ctx: DemoContext, phone: string, label: string) {
  const sms = (await ctx.smsMessages()).filter((m) => m.phoneNumber === phone);
  if (sms.length === 0)
    ctx.print(`${label}: nothing sent to ${maskPhoneNumber(phone)}`);
  for (const message of sms) {
    ctx.print(
      `${label}: SMS to ${maskPhoneNumber(phone)} (${sms.length} in total)`,
    );
    ctx.print(`    "${message.message}"`);
  }
}

async function encrypt(ctx: DemoContext, plaintext: string, userPoolId = POOL) {
  return encryptLikeCognito({
    keyArn: ctx.env.KMS_KEY_ARN as string,
    userPoolId,
    plaintext,
    endpoint: ctx.endpoint,
  });
}

/**
 * Runs the flow: a sign-up code, the same event delivered twice more (one
 * SMS), a German MFA code, an admin invitation with a temporary password
 * that Cognito HTML-escaped, and a code minted for another pool (refused).
 *
 * @param ctx - the demo's local stack and invoker
 */
export async function runSmsSenderDemo(ctx: DemoContext): Promise<void> {
  const signUpPhone = '+447700900461';
  const signUp = senderEvent({
    triggerSource: 'CustomSMSSender_SignUp',
    code: await encrypt(ctx, digits(6)),
    phone: signUpPhone,
    userName: randomUUID(),
  });
  ctx.print(
    'Sign-up: Cognito hands the sender an encrypted code (AWS Encryption SDK, like Cognito)',
  );
  await ctx.invoke(KEY, signUp);
  await ctx.invoke(KEY, signUp);
  await ctx.invoke(KEY, signUp);
  await printDelivered(ctx, signUpPhone, 'Sign-up (event delivered 3 times)');

  const mfaPhone = '+4915112345678';
  await ctx.invoke(
    KEY,
    senderEvent({
      triggerSource: 'CustomSMSSender_Authentication',
      code: await encrypt(ctx, digits(6)),
      phone: mfaPhone,
      userName: randomUUID(),
      locale: 'de-DE',
    }),
  );
  await printDelivered(ctx, mfaPhone, 'SMS MFA (locale de-DE)');

  const invitePhone = '+447700900462';
  const password = `Dm${digits(2)}<${digits(2)}>x!`;
  await ctx.invoke(
    KEY,
    senderEvent({
      triggerSource: 'CustomSMSSender_AdminCreateUser',
      code: await encrypt(ctx, escapeLikeCognito(password)),
      phone: invitePhone,
      userName: 'ada.lovelace',
    }),
  );
  await printDelivered(
    ctx,
    invitePhone,
    'Admin invitation (temporary password unescaped)',
  );

  const otherPoolPhone = '+447700900463';
  await ctx.invoke(
    KEY,
    senderEvent({
      triggerSource: 'CustomSMSSender_ForgotPassword',
      code: await encrypt(ctx, digits(6), 'eu-central-1_OtherPool1'),
      phone: otherPoolPhone,
      userName: randomUUID(),
    }),
  );
  await printDelivered(
    ctx,
    otherPoolPhone,
    'Code minted for another pool (context mismatch)',
  );
}
