/**
 * The pure cores `npm run bench` times call by call (bench/core-harness.ts
 * runs one per child process). Each case sets up with the real shared
 * modules, the shipped config/suite.json and the committed fixtures, and
 * returns the work of one call; nothing in a call touches the network.
 * What needs KMS (sealing the TOTP secret) runs once, in setup, against
 * the bench's moto.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import suiteJson from '../config/suite.json';
import { config, requireSettings } from '../shared/config';
import { matchOtp, otpForStep, timeStepAt } from '../shared/crypto/otp';
import { policySettingsSchema } from '../shared/policy/settings';
import { decideSignUp, type SignUpRequest } from '../shared/policy/sign-up';
import { renderMessage, renderSms } from '../shared/templates';
import { classifyAnswer } from '../shared/totp/answer';
import { type SubjectEvent, subjectOf } from '../shared/totp/context';
import { totpDeploymentOf } from '../shared/totp/deployment';
import { newPending } from '../shared/totp/enrollment';
import { parseRecord } from '../shared/totp/record-schema';
import { senderPrepareRender, senderWithLocalDecrypt } from './core-sender';

/** One timed call; its result is checked, so no work is optimised away. */
export type CoreCall = () => unknown;

type Json = Record<string, unknown>;

/** A case: set up once, then return the call to time. */
export type CoreCase = (fixtures: string) => Promise<CoreCall>;

function fixture(fixtures: string, key: string, name: string): Json {
  const file = path.join(fixtures, key, `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Json;
}

const expect = (isOk: boolean, what: string) => {
  if (!isOk) throw new Error(`bench core: ${what}`);
};

/** issue 4: Custom Message's email body (sign-up, with the code link). */
const renderEmail: CoreCase = async (fixtures) => {
  const event = fixture(fixtures, 'customMessage', 'sign-up') as {
    callerContext: { clientId: string };
    request: { userAttributes: Record<string, string>; codeParameter: string };
  };
  const { userAttributes, codeParameter } = event.request;
  return () =>
    renderMessage({
      kind: 'SignUp',
      channel: 'emailBody',
      locales: [userAttributes.locale],
      clientId: event.callerContext.clientId,
      placeholders: { code: codeParameter, username: userAttributes.sub },
      userAttributes,
    }).text.length;
};

/** issue 4: the sender's SMS text, with its GSM-7 / UCS-2 segmenting. */
const renderSmsCase: CoreCase = async (fixtures) => {
  const event = fixture(fixtures, 'customSmsSender', 'sign-up') as {
    request: { userAttributes: Record<string, string> };
  };
  const { userAttributes } = event.request;
  return () =>
    renderSms({
      kind: 'SignUp',
      locales: [userAttributes.locale],
      placeholders: { code: '393366', username: userAttributes.sub },
      userAttributes,
    }).segments;
};

function signUpRequest(fixtures: string): SignUpRequest {
  const event = fixture(fixtures, 'preSignUp', 'sign-up') as {
    triggerSource: 'PreSignUp_SignUp';
    callerContext: { clientId: string };
    request: { userAttributes: Record<string, string> };
  };
  return {
    triggerSource: event.triggerSource,
    userAttributes: event.request.userAttributes,
    clientId: event.callerContext.clientId,
  };
}

/** issue 6: decideSignUp with the shipped policy. */
const decideShipped: CoreCase = async (fixtures) => {
  const request = signUpRequest(fixtures);
  const context = { policy: requireSettings('policy').policy };
  return () => decideSignUp(request, context).refusals.length;
};

/** issue 6: decideSignUp with a phone country allow-list on. */
const decidePhoneOn: CoreCase = async (fixtures) => {
  const request = signUpRequest(fixtures);
  const policy = policySettingsSchema.parse({
    ...suiteJson.policy,
    phone: { mode: 'allow', countries: ['GB', 'DE', 'AT', 'CH', 'US'] },
  });
  expect(policy.phone.mode === 'allow', 'phone rules are not on');
  return () => decideSignUp(request, { policy }).refusals.length;
};

/**
 * issue 5: Verify's pure part: classify the answer, unmarshall and parse
 * the stored record, compare the code over the window (the KMS decrypt of
 * the secret and the DynamoDB calls are left out). The record is made by
 * the real enrollment code (newPending, sealed by moto's KMS), activated
 * the way acceptStep does, and marshalled as DynamoDB returns it.
 */
const verifyTotp: CoreCase = async (fixtures) => {
  const event = fixture(fixtures, 'verifyAuthChallengeResponse', 'totp-answer');
  const deployment = totpDeploymentOf(config);
  const { settings } = deployment;
  const subject = subjectOf(event as unknown as SubjectEvent, deployment);
  const nowSeconds = Math.floor(Date.now() / 1000);
  const { pending, material } = await newPending(subject, deployment, {
    origin: 'self',
    nowSeconds,
  });
  const active = { ...material.parameters, ct: pending.ct };
  const item = marshall({
    active: { ...active, activatedAt: nowSeconds },
    recovery: pending.recovery,
    lastStep: timeStepAt(settings.period, Date.now()) - 2,
    failures: 0,
    lockouts: 0,
  });
  const now = Date.now();
  const code = otpForStep(
    material.secret,
    material.parameters,
    timeStepAt(settings.period, now),
  );
  return () => {
    const answer = classifyAnswer(code);
    const record = parseRecord(unmarshall(item));
    if (answer.kind !== 'totp' || !record.active) return undefined;
    return matchOtp({
      secret: material.secret,
      parameters: record.active,
      code: answer.code,
      window: settings.window,
      now,
    });
  };
};

/** Every case by name (the order of the printed table). */
export const CORE_CASES = {
  renderMessage: renderEmail,
  renderSms: renderSmsCase,
  decideSignUp: decideShipped,
  decideSignUpPhoneRules: decidePhoneOn,
  verifyTotp,
  senderPrepareRender,
  senderWithLocalDecrypt,
} as const satisfies Record<string, CoreCase>;

/** A case's name. */
export type CoreCaseName = keyof typeof CORE_CASES;
