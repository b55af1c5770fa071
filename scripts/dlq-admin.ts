import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { maskPhoneNumber } from '../shared/redact';

/**
 * The Custom SMS Sender's dead-letter queue: what is in it, and sending its
 * events to the function again once the cause is fixed (a key enabled
 * again, a role or key policy corrected, an outage over).
 *
 * Each message is the invocation record Lambda writes for an asynchronous
 * invocation that failed every attempt: `timestamp` (of the last failure),
 * `requestContext` (`functionArn`, `condition`), `requestPayload` (the
 * Cognito event, its code encrypted), `responsePayload` (the error). A
 * redrive invokes the function asynchronously with the event, as Cognito
 * did, and deletes the message once Lambda has accepted it. The event
 * carries one more top-level field, `suiteRedrive` (when it first failed,
 * how often it was redriven), which the sender ignores and which keeps a
 * redriven event that fails again from looking new.
 *
 * Nothing printed here carries the code, the ciphertext or the full phone
 * number: an entry shows its age, trigger source, pool, the number's last
 * four digits and the failure's class.
 */

/** How long each kind of code can still be used, in hours. */
const CODE_LIFETIME_HOURS: Readonly<Record<string, number>> = {
  // An MFA code lives as long as its sign-in session (3 minutes): by the
  // time Lambda gave up it is gone.
  CustomSMSSender_Authentication: 0,
  CustomSMSSender_ForgotPassword: 1,
  // A temporary password lives for the pool's TemporaryPasswordValidityDays.
  CustomSMSSender_AdminCreateUser: 72,
};
/** Sign-up, resend and attribute verification codes: 24 hours. */
const DEFAULT_LIFETIME_HOURS = 24;
/**
 * How long Lambda may have kept the event before it gave up (the sender's
 * `maximumEventAge`, infra/functions/custom-sms-sender.yml): a record's
 * timestamp is when Lambda gave up, so Cognito may have issued the code
 * up to this long before. Ages count from that earliest moment.
 */
const MAX_EVENT_AGE_HOURS = 1;
/** A redriven event that keeps failing is left after this many redrives. */
const MAX_REDRIVES = 3;

/** The field a redrive adds to the event. */
interface RedriveMark {
  readonly firstFailedAt: string;
  readonly count: number;
}

/** What one dead-letter message holds, as far as it can be read. */
export interface DeadLetter {
  readonly message: Message;
  /** `undefined` when the body is not one of the suite's sender records. */
  readonly record?: InvocationRecord;
  readonly unreadable?: string;
}

interface InvocationRecord {
  readonly functionArn: string;
  readonly condition: string;
  readonly payload: Record<string, unknown> & {
    triggerSource: string;
    userPoolId: string;
  };
  /** The sender's failure class, else the error's name. */
  readonly cause: string;
  /** When the event first failed (an earlier redrive's mark, or now). */
  readonly firstFailedAt: number;
  readonly redrives: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The sender's TransientSendError message (shared/sms/outcome.ts): the
// failure class is the only part worth showing.
const SENDER_FAILURE = /^SMS not sent yet \(([a-z0-9_]{1,40})\)/;
// The suite's sender functions: `<service>-<stage>-customSmsSender`.
const SENDER_FUNCTION = /:function:[\w-]+-customSmsSender(:[\w$]+)?$/;

function causeOf(response: Record<string, unknown>): string {
  const message =
    typeof response.errorMessage === 'string' ? response.errorMessage : '';
  const sender = SENDER_FAILURE.exec(message);
  if (sender) return sender[1] as string;
  return typeof response.errorType === 'string'
    ? response.errorType.slice(0, 64)
    : 'unknown';
}

function markOf(payload: Record<string, unknown>): RedriveMark | undefined {
  const mark = payload.suiteRedrive;
  if (
    isObject(mark) &&
    typeof mark.firstFailedAt === 'string' &&
    !Number.isNaN(Date.parse(mark.firstFailedAt)) &&
    Number.isInteger(mark.count)
  ) {
    return mark as unknown as RedriveMark;
  }
  return undefined;
}

/**
 * Reads a message body as one of the suite's sender invocation records.
 *
 * @param message - one SQS message from the dead-letter queue
 * @param anyFunction - accept a record of any function (the operator named
 *   the function to invoke)
 */
export function readDeadLetter(
  message: Message,
  anyFunction = false,
): DeadLetter {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return { message, unreadable: 'body is not JSON' };
  }
  if (!isObject(body)) return { message, unreadable: 'body is not an object' };
  const context = isObject(body.requestContext) ? body.requestContext : {};
  const payload = body.requestPayload;
  const response = isObject(body.responsePayload) ? body.responsePayload : {};
  if (
    !isObject(payload) ||
    typeof payload.triggerSource !== 'string' ||
    !payload.triggerSource.startsWith('CustomSMSSender_') ||
    typeof payload.userPoolId !== 'string'
  ) {
    return { message, unreadable: 'not a Custom SMS Sender event' };
  }
  const failedAt =
    typeof body.timestamp === 'string' ? Date.parse(body.timestamp) : NaN;
  if (Number.isNaN(failedAt)) return { message, unreadable: 'no timestamp' };
  const functionArn = context.functionArn;
  if (typeof functionArn !== 'string') {
    return { message, unreadable: 'no function ARN' };
  }
  if (!anyFunction && !SENDER_FUNCTION.test(functionArn)) {
    return { message, unreadable: "not this suite's sender function" };
  }
  const mark = markOf(payload);
  return {
    message,
    record: {
      functionArn,
      condition: String(context.condition ?? 'unknown').slice(0, 40),
      payload: payload as InvocationRecord['payload'],
      cause: causeOf(response),
      firstFailedAt: mark ? Date.parse(mark.firstFailedAt) : failedAt,
      redrives: mark?.count ?? 0,
    },
  };
}

/**
 * One line about a dead letter, safe to print.
 *
 * @param letter - a read message
 * @param nowMs - the current time
 */
export function describeDeadLetter(letter: DeadLetter, nowMs: number): string {
  const id = (letter.message.MessageId ?? '?').slice(0, 8);
  if (!letter.record) return `${id}  unreadable: ${letter.unreadable}`;
  const { record } = letter;
  const ageMinutes = Math.round((nowMs - record.firstFailedAt) / 60_000);
  const request = isObject(record.payload.request)
    ? record.payload.request
    : {};
  const attributes = isObject(request.userAttributes)
    ? request.userAttributes
    : {};
  const phone =
    typeof attributes.phone_number === 'string'
      ? maskPhoneNumber(attributes.phone_number)
      : '(no number)';
  return [
    id,
    `failed ${ageMinutes} min ago`,
    record.payload.triggerSource,
    record.payload.userPoolId,
    phone,
    `${record.condition}/${record.cause}`,
    ...(record.redrives > 0 ? [`redriven ${record.redrives}x`] : []),
  ].join('  ');
}

/** What the tool talks to and how it reports. */
export interface DlqOptions {
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  /** Reads the user's number now (AdminGetUser) before a redrive. */
  readonly cognito: CognitoIdentityProviderClient;
  readonly queueUrl: string;
  /** Invoke this function instead of the one in each record. */
  readonly functionName?: string;
  /** Leave events older than this (on top of each code's own lifetime). */
  readonly maxAgeHours?: number;
  /**
   * The sender's `sms.idempotencyTtlSeconds`: an event older than its
   * record is never redriven (it might have been sent after all).
   */
  readonly idempotencyTtlSeconds: number;
  /** Stop after this many messages. */
  readonly max: number;
  readonly dryRun: boolean;
  readonly print: (line: string) => void;
  readonly now?: () => number;
  /** Long-poll wait per receive, seconds (default 1). */
  readonly waitSeconds?: number;
}

/** What a redrive (or a listing) did. */
export interface DlqSummary {
  seen: number;
  redriven: number;
  /** What a redrive would have sent (`--dry-run` only). */
  wouldRedrive: number;
  tooOld: number;
  unreadable: number;
  /** Left: the user is gone, or their number is not the event's any more. */
  stale: number;
  failed: number;
  notDeleted: number;
}

/** The age (hours) after which an event is left in the queue. */
function ageLimitHours(record: InvocationRecord, options: DlqOptions): number {
  return Math.min(
    CODE_LIFETIME_HOURS[record.payload.triggerSource] ?? DEFAULT_LIFETIME_HOURS,
    options.maxAgeHours ?? Number.POSITIVE_INFINITY,
    options.idempotencyTtlSeconds / 3600,
  );
}

/**
 * Lists (or, unless `dryRun`, redrives) up to `max` dead letters. Each
 * message received stays hidden while the tool works (60 s at most), so a
 * message is seen once; what is not redriven and deleted is made visible
 * again at the end. It stops after two receives in a row bring nothing
 * new (SQS samples its servers on each receive).
 *
 * @param mode - `list` prints only; `redrive` sends readable events still
 *   within their code's lifetime to the function and deletes them once
 *   Lambda accepted them
 * @param options - clients, queue and limits
 */
export async function runDlq(
  mode: 'list' | 'redrive',
  options: DlqOptions,
): Promise<DlqSummary> {
  const now = options.now ?? Date.now;
  const summary: DlqSummary = {
    seen: 0,
    redriven: 0,
    wouldRedrive: 0,
    tooOld: 0,
    unreadable: 0,
    stale: 0,
    failed: 0,
    notDeleted: 0,
  };
  const seenIds = new Set<string>();
  const held: Message[] = [];
  let emptyReceives = 0;
  try {
    while (summary.seen < options.max && emptyReceives < 2) {
      const output = await options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, options.max - summary.seen),
          VisibilityTimeout: 60,
          WaitTimeSeconds: options.waitSeconds ?? 1,
        }),
      );
      const messages = (output.Messages ?? []).filter(
        (m) => !seenIds.has(m.MessageId ?? ''),
      );
      emptyReceives = messages.length === 0 ? emptyReceives + 1 : 0;
      for (const message of messages) {
        seenIds.add(message.MessageId ?? '');
        summary.seen += 1;
        held.push(message);
        await handle(mode, message, options, summary, held, now());
      }
    }
  } finally {
    await release(options, held);
    const redriven =
      mode === 'redrive' && options.dryRun
        ? `${summary.wouldRedrive} would be redriven (dry run: nothing sent)`
        : `${summary.redriven} redriven (accepted by Lambda; the sender's log says what it sent)`;
    options.print(
      `${summary.seen} seen, ${redriven}, ${summary.tooOld} past their code's lifetime (left), ${summary.unreadable} unreadable (left), ${summary.stale} whose user or number changed (left), ${summary.failed} not accepted (left), ${summary.notDeleted} redriven but not deleted`,
    );
  }
  return summary;
}

async function handle(
  mode: 'list' | 'redrive',
  message: Message,
  options: DlqOptions,
  summary: DlqSummary,
  held: Message[],
  nowMs: number,
): Promise<void> {
  const letter = readDeadLetter(message, options.functionName !== undefined);
  options.print(describeDeadLetter(letter, nowMs));
  const { record } = letter;
  if (!record) {
    summary.unreadable += 1;
    return;
  }
  const ageHours =
    (nowMs - record.firstFailedAt) / 3_600_000 + MAX_EVENT_AGE_HOURS;
  if (ageHours >= ageLimitHours(record, options)) {
    summary.tooOld += 1;
    return;
  }
  if (record.redrives >= MAX_REDRIVES) {
    summary.failed += 1;
    options.print(`  left: redriven ${MAX_REDRIVES} times already`);
    return;
  }
  if (mode === 'list') return;
  const change = await userChange(options, record);
  if (change !== undefined) {
    if (change === 'unknown') summary.failed += 1;
    else summary.stale += 1;
    options.print(`  left: ${STALE_REASONS[change]}`);
    return;
  }
  if (options.dryRun) {
    summary.wouldRedrive += 1;
    options.print('  would be redriven (dry run)');
    return;
  }
  if (!(await invoke(options, record))) {
    summary.failed += 1;
    return;
  }
  summary.redriven += 1;
  try {
    await options.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: options.queueUrl,
        ReceiptHandle: message.ReceiptHandle,
      }),
    );
    held.splice(held.indexOf(message), 1);
  } catch (error) {
    // Sent but still queued: a later redrive finds the sender's record
    // and sends nothing (while the record lives).
    summary.notDeleted += 1;
    options.print(
      `  redriven but not deleted: ${error instanceof Error ? error.name : 'Error'}`,
    );
  }
}

const STALE_REASONS = {
  gone: 'the user no longer exists',
  number: "the user's phone number is not the event's any more",
  unknown: 'the user could not be read',
} as const;

/**
 * Whether the event still reaches the person it was for: the user exists
 * and still has the event's number. A code held in the queue for hours
 * must not go to a number its user has since given up.
 *
 * @returns `undefined` when it does; else why not (`unknown` when
 *   AdminGetUser failed: access denied, throttled)
 */
async function userChange(
  options: DlqOptions,
  record: InvocationRecord,
): Promise<keyof typeof STALE_REASONS | undefined> {
  const { payload } = record;
  const request = isObject(payload.request) ? payload.request : {};
  const attributes = isObject(request.userAttributes)
    ? request.userAttributes
    : {};
  if (typeof payload.userName !== 'string') return 'gone';
  try {
    const user = await options.cognito.send(
      new AdminGetUserCommand({
        UserPoolId: payload.userPoolId,
        Username: payload.userName,
      }),
    );
    const phone = user.UserAttributes?.find(
      (attribute) => attribute.Name === 'phone_number',
    )?.Value;
    return phone === attributes.phone_number ? undefined : 'number';
  } catch (error) {
    if (error instanceof Error && error.name === 'UserNotFoundException')
      return 'gone';
    options.print(
      `  could not read the user: ${error instanceof Error ? error.name : 'Error'}`,
    );
    return 'unknown';
  }
}

/** Makes the messages left in the queue visible again now. */
async function release(options: DlqOptions, messages: Message[]) {
  for (const message of messages) {
    await options.sqs
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: options.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      )
      // One that cannot be released comes back after its 60 s anyway.
      .catch(() => undefined);
  }
}

async function invoke(
  options: DlqOptions,
  record: InvocationRecord,
): Promise<boolean> {
  const mark: RedriveMark = {
    firstFailedAt: new Date(record.firstFailedAt).toISOString(),
    count: record.redrives + 1,
  };
  try {
    const output = await options.lambda.send(
      new InvokeCommand({
        FunctionName: options.functionName ?? record.functionArn,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(
          JSON.stringify({ ...record.payload, suiteRedrive: mark }),
        ),
      }),
    );
    return output.StatusCode === 202;
  } catch (error) {
    options.print(
      `  invoke failed: ${error instanceof Error ? error.name : 'Error'}`,
    );
    return false;
  }
}
