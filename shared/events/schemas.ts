import * as z from 'zod/mini';

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
export const stringMap = z.pipe(
  z
    .unknown()
    .check(
      z.refine(
        (map) =>
          typeof map !== 'object' ||
          map === null ||
          Object.keys(map).every((key) => !FORBIDDEN_KEYS.has(key)),
        'forbidden key',
      ),
    ),
  z.record(z.string(), z.string()),
);

/** `clientMetadata` / `validationData`: absent, `null`, or a string map. */
const optionalStringMap = z.nullish(stringMap);

const BASE_SHAPE = {
  version: z.optional(z.string()),
  triggerSource: z.string().check(z.minLength(1)),
  region: z.string().check(z.minLength(1)),
  userPoolId: z.string().check(z.regex(/^[\w-]+_[0-9a-zA-Z]+$/)),
  userName: z.optional(z.string()),
  callerContext: z.optional(
    z.looseObject({
      awsSdkVersion: z.optional(z.string()),
      clientId: z.optional(z.string()),
    }),
  ),
};

export const baseEventSchema = z.looseObject(BASE_SHAPE);

export const customSmsSenderEventSchema = z.looseObject({
  ...BASE_SHAPE,
  request: z.looseObject({
    type: z.optional(z.string()),
    code: z.nullish(z.string()),
    clientMetadata: optionalStringMap,
    userAttributes: stringMap,
  }),
});
export type CustomSmsSenderEvent = z.output<typeof customSmsSenderEventSchema>;

export const customMessageEventSchema = z.looseObject({
  ...BASE_SHAPE,
  request: z.looseObject({
    userAttributes: stringMap,
    codeParameter: z.nullish(z.string()),
    linkParameter: z.nullish(z.string()),
    usernameParameter: z.nullish(z.string()),
    clientMetadata: optionalStringMap,
  }),
  response: z.optional(
    z.looseObject({
      smsMessage: z.nullish(z.string()),
      emailMessage: z.nullish(z.string()),
      emailSubject: z.nullish(z.string()),
    }),
  ),
});
export type CustomMessageEvent = z.output<typeof customMessageEventSchema>;

export const challengeResultSchema = z.looseObject({
  challengeName: z.string(),
  challengeResult: z.boolean(),
  challengeMetadata: z.nullish(z.string()),
});
export type ChallengeResult = z.output<typeof challengeResultSchema>;

const authRequest = {
  // Filled for real users; not documented for userNotFound rounds, so a
  // missing map reads as empty instead of failing the round.
  userAttributes: z._default(stringMap, {}),
  clientMetadata: optionalStringMap,
  userNotFound: z.optional(z.boolean()),
};

export const defineAuthChallengeEventSchema = z.looseObject({
  ...BASE_SHAPE,
  request: z.looseObject({
    ...authRequest,
    session: z.array(challengeResultSchema),
  }),
});
export type DefineAuthChallengeEvent = z.output<
  typeof defineAuthChallengeEventSchema
>;

export const createAuthChallengeEventSchema = z.looseObject({
  ...BASE_SHAPE,
  request: z.looseObject({
    ...authRequest,
    challengeName: z.string(),
    session: z.array(challengeResultSchema),
  }),
});
export type CreateAuthChallengeEvent = z.output<
  typeof createAuthChallengeEventSchema
>;

export const verifyAuthChallengeEventSchema = z.looseObject({
  ...BASE_SHAPE,
  request: z.looseObject({
    ...authRequest,
    privateChallengeParameters: z.nullish(stringMap),
    challengeAnswer: z.unknown(),
  }),
});
export type VerifyAuthChallengeEvent = z.output<
  typeof verifyAuthChallengeEventSchema
>;

export const preSignUpEventSchema = z.looseObject({
  ...BASE_SHAPE,
  request: z.looseObject({
    userAttributes: stringMap,
    validationData: optionalStringMap,
    clientMetadata: optionalStringMap,
  }),
});
export type PreSignUpEvent = z.output<typeof preSignUpEventSchema>;
