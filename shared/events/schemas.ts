import { z } from 'zod';

/**
 * zod schemas of the Cognito events the suite handles. Lenient on purpose:
 * AWS may add or move fields, so unknown keys pass through and only what the
 * suite reads is checked.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A map of strings that rejects prototype-polluting keys. The check runs on
 * the raw input: a parsed copy would silently drop `__proto__`.
 */
export const stringMap = z
  .unknown()
  .refine(
    (map) =>
      typeof map !== 'object' ||
      map === null ||
      Object.keys(map).every((key) => !FORBIDDEN_KEYS.has(key)),
    'forbidden key',
  )
  .pipe(z.record(z.string(), z.string()));

/** `clientMetadata` / `validationData`: absent, `null`, or a string map. */
const optionalStringMap = stringMap.nullish();

export const baseEventSchema = z.looseObject({
  version: z.string().optional(),
  triggerSource: z.string().min(1),
  region: z.string().min(1),
  userPoolId: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/),
  userName: z.string().optional(),
  callerContext: z
    .looseObject({
      awsSdkVersion: z.string().optional(),
      clientId: z.string().optional(),
    })
    .optional(),
});

export const customSmsSenderEventSchema = baseEventSchema.extend({
  request: z.looseObject({
    type: z.string().optional(),
    code: z.string().nullish(),
    clientMetadata: optionalStringMap,
    userAttributes: stringMap,
  }),
});
export type CustomSmsSenderEvent = z.output<typeof customSmsSenderEventSchema>;

export const customMessageEventSchema = baseEventSchema.extend({
  request: z.looseObject({
    userAttributes: stringMap,
    codeParameter: z.string().nullish(),
    linkParameter: z.string().nullish(),
    usernameParameter: z.string().nullish(),
    clientMetadata: optionalStringMap,
  }),
  response: z
    .looseObject({
      smsMessage: z.string().nullish(),
      emailMessage: z.string().nullish(),
      emailSubject: z.string().nullish(),
    })
    .optional(),
});
export type CustomMessageEvent = z.output<typeof customMessageEventSchema>;

export const challengeResultSchema = z.looseObject({
  challengeName: z.string(),
  challengeResult: z.boolean(),
  challengeMetadata: z.string().nullish(),
});
export type ChallengeResult = z.output<typeof challengeResultSchema>;

const authRequest = {
  userAttributes: stringMap,
  clientMetadata: optionalStringMap,
  userNotFound: z.boolean().optional(),
};

export const defineAuthChallengeEventSchema = baseEventSchema.extend({
  request: z.looseObject({
    ...authRequest,
    session: z.array(challengeResultSchema),
  }),
});
export type DefineAuthChallengeEvent = z.output<
  typeof defineAuthChallengeEventSchema
>;

export const createAuthChallengeEventSchema = baseEventSchema.extend({
  request: z.looseObject({
    ...authRequest,
    challengeName: z.string(),
    session: z.array(challengeResultSchema),
  }),
});
export type CreateAuthChallengeEvent = z.output<
  typeof createAuthChallengeEventSchema
>;

export const verifyAuthChallengeEventSchema = baseEventSchema.extend({
  request: z.looseObject({
    ...authRequest,
    privateChallengeParameters: stringMap.nullish(),
    challengeAnswer: z.unknown(),
  }),
});
export type VerifyAuthChallengeEvent = z.output<
  typeof verifyAuthChallengeEventSchema
>;

export const preSignUpEventSchema = baseEventSchema.extend({
  request: z.looseObject({
    userAttributes: stringMap,
    validationData: optionalStringMap,
    clientMetadata: optionalStringMap,
  }),
});
export type PreSignUpEvent = z.output<typeof preSignUpEventSchema>;
