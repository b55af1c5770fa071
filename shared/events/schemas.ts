import * as z from 'zod/mini';
import { once } from '../lazy';
import {
  CREATE_AUTH_CHALLENGE_SOURCE,
  DEFINE_AUTH_CHALLENGE_SOURCE,
  VERIFY_AUTH_CHALLENGE_SOURCE,
} from './trigger-sources';

/**
 * zod schemas of the Cognito events the suite handles. Lenient on purpose:
 * AWS may add or move fields, so unknown keys pass through and only what the
 * suite reads is checked.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The pieces every trigger's schema shares, built once, on first use: each
 * function builds only its own trigger's schema (see `resolveEventSchema`).
 */
const common = once(() => {
  const map = z.pipe(
    z
      .unknown()
      .check(
        z.refine(
          (value) =>
            typeof value !== 'object' ||
            value === null ||
            Object.keys(value).every((key) => !FORBIDDEN_KEYS.has(key)),
          'forbidden key',
        ),
      ),
    z.record(z.string(), z.string()),
  );
  const base = {
    // Never read; the string "1" in real events, the number 1 in some
    // AWS samples: either passes.
    version: z.optional(z.union([z.string(), z.number()])),
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
  /** `clientMetadata` / `validationData`: absent, `null`, or a string map. */
  return { map, base, optionalMap: z.nullish(map) };
});

/**
 * A map of strings that rejects prototype-polluting keys. The check runs on
 * the raw input: a parsed copy would silently drop `__proto__`.
 */
export const stringMap = z.lazy(() => common().map);

/** The fields every Cognito trigger event has. */
export const baseEventSchema = z.lazy(() => z.looseObject(common().base));

/**
 * Builds a lazy trigger schema now: a function calls it at module load, so
 * its one event schema is built during init, not in its first request.
 *
 * @param schema - one of the trigger event schemas below
 * @returns the same schema
 * @example
 * const eventSchema = resolveEventSchema(preSignUpEventSchema);
 */
export function resolveEventSchema<T extends z.ZodMiniType>(
  schema: z.ZodMiniLazy<T>,
): z.ZodMiniLazy<T> {
  schema._zod.innerType;
  return schema;
}

/** Custom SMS Sender. */
export const customSmsSenderEventSchema = z.lazy(() => {
  const { base, map, optionalMap } = common();
  return z.looseObject({
    ...base,
    request: z.looseObject({
      type: z.optional(z.string()),
      code: z.nullish(z.string()),
      // The caller's own map, read only for a locale: a bad one is dropped
      // rather than costing the user their code.
      clientMetadata: z.catch(optionalMap, undefined),
      userAttributes: map,
    }),
  });
});
export type CustomSmsSenderEvent = z.output<typeof customSmsSenderEventSchema>;

/** Custom Message. */
export const customMessageEventSchema = z.lazy(() => {
  const { base, map, optionalMap } = common();
  return z.looseObject({
    ...base,
    request: z.looseObject({
      userAttributes: map,
      codeParameter: z.nullish(z.string()),
      linkParameter: z.nullish(z.string()),
      usernameParameter: z.nullish(z.string()),
      // The caller's own map (ForgotPassword needs no sign-in), read only
      // for a locale: a bad one is dropped rather than switching the
      // user's message to Cognito's default.
      clientMetadata: z.catch(optionalMap, undefined),
    }),
    response: z.optional(
      z.looseObject({
        smsMessage: z.nullish(z.string()),
        emailMessage: z.nullish(z.string()),
        emailSubject: z.nullish(z.string()),
      }),
    ),
  });
});
export type CustomMessageEvent = z.output<typeof customMessageEventSchema>;

const challengeResult = once(() =>
  z.looseObject({
    challengeName: z.string(),
    challengeResult: z.boolean(),
    challengeMetadata: z.nullish(z.string()),
  }),
);

/** One entry of a custom-auth `session`. */
export const challengeResultSchema = z.lazy(challengeResult);
export type ChallengeResult = z.output<typeof challengeResultSchema>;

const authRequest = () => {
  const { map, optionalMap } = common();
  return {
    // Filled for real users; not documented for userNotFound rounds, so a
    // missing map reads as empty instead of failing the round.
    userAttributes: z._default(map, {}),
    clientMetadata: optionalMap,
    userNotFound: z.optional(z.boolean()),
  };
};

/** Define Auth Challenge. */
export const defineAuthChallengeEventSchema = z.lazy(() =>
  z.looseObject({
    ...common().base,
    // Only this trigger's own events: a misrouted one is invalid input.
    triggerSource: z.literal(DEFINE_AUTH_CHALLENGE_SOURCE),
    request: z.looseObject({
      ...authRequest(),
      session: z.array(challengeResult()),
    }),
  }),
);
export type DefineAuthChallengeEvent = z.output<
  typeof defineAuthChallengeEventSchema
>;

/** Create Auth Challenge. */
export const createAuthChallengeEventSchema = z.lazy(() =>
  z.looseObject({
    ...common().base,
    // Only this trigger's own events: a misrouted one is invalid input.
    triggerSource: z.literal(CREATE_AUTH_CHALLENGE_SOURCE),
    request: z.looseObject({
      ...authRequest(),
      challengeName: z.string(),
      session: z.array(challengeResult()),
    }),
  }),
);
export type CreateAuthChallengeEvent = z.output<
  typeof createAuthChallengeEventSchema
>;

/** Verify Auth Challenge Response. */
export const verifyAuthChallengeEventSchema = z.lazy(() =>
  z.looseObject({
    ...common().base,
    // Only this trigger's own events: a misrouted one is invalid input.
    triggerSource: z.literal(VERIFY_AUTH_CHALLENGE_SOURCE),
    request: z.looseObject({
      ...authRequest(),
      privateChallengeParameters: z.nullish(common().map),
      challengeAnswer: z.unknown(),
    }),
  }),
);
export type VerifyAuthChallengeEvent = z.output<
  typeof verifyAuthChallengeEventSchema
>;

/** Pre Sign-up. */
export const preSignUpEventSchema = z.lazy(() => {
  const { base, map, optionalMap } = common();
  return z.looseObject({
    ...base,
    request: z.looseObject({
      userAttributes: map,
      // The caller's own maps, read only for a locale: a bad one is
      // dropped rather than refusing the sign-up with the generic message.
      validationData: z.catch(optionalMap, undefined),
      clientMetadata: z.catch(optionalMap, undefined),
    }),
  });
});
export type PreSignUpEvent = z.output<typeof preSignUpEventSchema>;
