/**
 * A model of how Amazon Cognito drives the custom authentication triggers
 * (CUSTOM_AUTH with `CHALLENGE_NAME: SRP_A`, i.e. password first):
 *
 * - every round appends `{ challengeName, challengeResult, challengeMetadata }`
 *   to the `session` Define and Create see (metadata only on CUSTOM_CHALLENGE
 *   rounds, taken from the Create that made the challenge);
 * - Define decides; `failAuthentication` wins over `issueTokens`, and with
 *   neither it must name the next challenge;
 * - `CUSTOM_CHALLENGE` calls Create; its `publicChallengeParameters` go to
 *   the client, its `privateChallengeParameters` only to the next Verify;
 * - the client's `ANSWER` goes to Verify, whose `answerCorrect` becomes the
 *   round's `challengeResult`, then Define runs again;
 * - an unknown user (the app client prevents user-existence errors) gets
 *   `userNotFound: true` and no attributes, and the password round fails;
 * - a trigger that throws aborts the flow with
 *   `UserLambdaValidationException: <Trigger> failed with error <message>.`;
 *   a trigger that returns something other than the event is
 *   `InvalidLambdaResponseException`.
 *
 * @see shared/reference/cognito-facts.md §1.3-1.5 and §2
 */

/** A trigger as Lambda runs it: the event in, the (mutated) event out. */
export type TriggerFn = (event: any) => Promise<any>;

/** The three custom-auth triggers of a pool. */
export interface CustomAuthTriggers {
  define: TriggerFn;
  create: TriggerFn;
  verify: TriggerFn;
}

/** A user of the simulated pool. */
export interface PoolUser {
  userName: string;
  password: string;
  attributes: Record<string, string>;
}

/** What the client sees after a call. */
export type FlowResult =
  | {
      kind: 'challenge';
      challengeName: string;
      parameters: Record<string, string>;
    }
  | { kind: 'tokens' }
  | { kind: 'error'; name: string; message: string };

/** One trigger invocation, for tests and the demo to inspect. */
export interface TraceEntry {
  trigger: 'define' | 'create' | 'verify';
  request: Record<string, any>;
  response: Record<string, any>;
}

interface SessionEntry {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}

const TRIGGER_NAMES = {
  define: 'DefineAuthChallenge',
  create: 'CreateAuthChallenge',
  verify: 'VerifyAuthChallengeResponse',
} as const;

class FlowError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A user pool with custom-auth triggers, as far as sign-in goes. */
export class SimulatedPool {
  readonly trace: TraceEntry[] = [];
  private readonly users = new Map<string, PoolUser>();

  constructor(
    private readonly triggers: CustomAuthTriggers,
    readonly options: { userPoolId: string; clientId: string; region?: string },
  ) {}

  /** Adds a user (AdminCreateUser + a permanent password). */
  addUser(user: PoolUser): void {
    this.users.set(user.userName, user);
  }

  /**
   * InitiateAuth(CUSTOM_AUTH, CHALLENGE_NAME=SRP_A): starts a sign-in.
   *
   * @param userName - what the client sent as USERNAME
   */
  async initiateAuth(userName: string): Promise<SignIn> {
    const signIn = new SignIn(this, userName, this.users.get(userName));
    await signIn.start();
    return signIn;
  }

  /** Invokes one trigger as Cognito does and checks what it returned. */
  async invoke(
    trigger: keyof CustomAuthTriggers,
    event: Record<string, any>,
  ): Promise<Record<string, any>> {
    const sent = structuredClone(event);
    let returned: unknown;
    try {
      returned = await this.triggers[trigger](sent);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new FlowError(
        'UserLambdaValidationException',
        `${TRIGGER_NAMES[trigger]} failed with error ${message}.`,
      );
    }
    const response = (returned as { response?: unknown } | null)?.response;
    if (!response || typeof response !== 'object') {
      throw new FlowError(
        'InvalidLambdaResponseException',
        'Unrecognizable lambda output',
      );
    }
    const copy = structuredClone(response) as Record<string, any>;
    this.trace.push({
      trigger,
      request: structuredClone(event.request),
      response: copy,
    });
    return copy;
  }
}

/** One sign-in: the `Session` a client carries between calls. */
export class SignIn {
  readonly session: SessionEntry[] = [];
  /** Create's private parameters, for the next Verify only. */
  private privateChallengeParameters: Record<string, string> | undefined;
  private challengeMetadata: string | undefined;
  private expected: string | undefined;
  last: FlowResult = {
    kind: 'error',
    name: 'NotStarted',
    message: 'not started',
  };

  constructor(
    private readonly pool: SimulatedPool,
    private readonly userName: string,
    private readonly user: PoolUser | undefined,
  ) {}

  private base(triggerSource: string, request: Record<string, unknown>) {
    return {
      version: '1',
      region: this.pool.options.region ?? 'eu-central-1',
      userPoolId: this.pool.options.userPoolId,
      userName: this.user?.userName ?? this.userName,
      callerContext: {
        awsSdkVersion: 'aws-sdk-unknown-unknown',
        clientId: this.pool.options.clientId,
      },
      triggerSource,
      request: {
        userAttributes: { ...(this.user?.attributes ?? {}) },
        ...(this.user ? {} : { userNotFound: true }),
        ...request,
      },
      response: {},
    };
  }

  private sessionCopy() {
    return this.session.map((entry) => ({
      challengeName: entry.challengeName,
      challengeResult: entry.challengeResult,
      challengeMetadata: entry.challengeMetadata,
    }));
  }

  /** @internal */
  async start(): Promise<void> {
    this.session.push({ challengeName: 'SRP_A', challengeResult: true });
    await this.step(() => this.define());
  }

  private async define(): Promise<FlowResult> {
    const response = await this.pool.invoke(
      'define',
      this.base('DefineAuthChallenge_Authentication', {
        session: this.sessionCopy(),
      }),
    );
    if (response.failAuthentication === true) {
      throw new FlowError(
        'NotAuthorizedException',
        'Incorrect username or password.',
      );
    }
    if (response.issueTokens === true) return { kind: 'tokens' };
    if (response.challengeName === 'PASSWORD_VERIFIER') {
      this.expected = 'PASSWORD_VERIFIER';
      return {
        kind: 'challenge',
        challengeName: 'PASSWORD_VERIFIER',
        parameters: {},
      };
    }
    if (response.challengeName === 'CUSTOM_CHALLENGE') return this.create();
    throw new FlowError(
      'InvalidLambdaResponseException',
      'Invalid challenge name',
    );
  }

  /**
   * Runs Create for the current session.
   *
   * @param isRetry - Cognito retrying the same Create (e.g. after a timeout)
   */
  async create(isRetry = false): Promise<FlowResult> {
    const event = this.base('CreateAuthChallenge_Authentication', {
      challengeName: 'CUSTOM_CHALLENGE',
      session: this.sessionCopy(),
    });
    const response = await this.pool.invoke('create', event);
    this.privateChallengeParameters = response.privateChallengeParameters ?? {};
    this.challengeMetadata = response.challengeMetadata ?? undefined;
    this.expected = 'CUSTOM_CHALLENGE';
    const result: FlowResult = {
      kind: 'challenge',
      challengeName: 'CUSTOM_CHALLENGE',
      parameters: { ...(response.publicChallengeParameters ?? {}) },
    };
    if (isRetry) this.last = result;
    return result;
  }

  /** RespondToAuthChallenge(PASSWORD_VERIFIER) with the SRP proof. */
  respondToPassword(password: string): Promise<FlowResult> {
    return this.step(async () => {
      this.expect('PASSWORD_VERIFIER');
      const isCorrect =
        this.user !== undefined && this.user.password === password;
      this.session.push({
        challengeName: 'PASSWORD_VERIFIER',
        challengeResult: isCorrect,
      });
      return this.define();
    });
  }

  /** RespondToAuthChallenge(CUSTOM_CHALLENGE) with `ANSWER`. */
  respondToChallenge(answer: string): Promise<FlowResult> {
    return this.step(async () => {
      this.expect('CUSTOM_CHALLENGE');
      const privateChallengeParameters = this.privateChallengeParameters;
      this.privateChallengeParameters = undefined;
      const response = await this.pool.invoke(
        'verify',
        this.base('VerifyAuthChallengeResponse_Authentication', {
          privateChallengeParameters,
          challengeAnswer: answer,
        }),
      );
      this.session.push({
        challengeName: 'CUSTOM_CHALLENGE',
        challengeResult: response.answerCorrect === true,
        challengeMetadata: this.challengeMetadata,
      });
      return this.define();
    });
  }

  private expect(challengeName: string): void {
    if (this.expected !== challengeName) {
      throw new FlowError(
        'NotAuthorizedException',
        'Invalid session for the user.',
      );
    }
    this.expected = undefined;
  }

  private async step(run: () => Promise<FlowResult>): Promise<FlowResult> {
    try {
      this.last = await run();
    } catch (error) {
      this.expected = undefined;
      if (!(error instanceof FlowError)) throw error;
      this.last = { kind: 'error', name: error.code, message: error.message };
    }
    return this.last;
  }
}
