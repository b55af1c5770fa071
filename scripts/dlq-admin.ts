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
 * invocation that failed every attempt: `timestamp`, `requestContext`
 * (`functionArn`, `condition`, `approximateInvokeCount`), `requestPayload`
 * (the Cognito event, its code encrypted), `responsePayload` (the error).
 * A redrive invokes the function asynchronously with `requestPayload`, as
 * Cognito did, and deletes the message once Lambda has accepted it. The
 * sender's idempotency record makes a second redrive of the same event
 * harmless while the record lives (`sms.idempotencyTtlSeconds`).
 *
 * Nothing printed here carries the code, the ciphertext or the full phone
 * number: an entry shows its age, trigger source, pool, the number's last
 * four digits and the error's name.
 */

/** What one dead-letter message holds, as far as it can be read. */
export interface DeadLetter {
  readonly message: Message;
  /** `undefined` when the body is not a sender invocation record. */
  readonly record?: InvocationRecord;
  readonly unreadable?: string;
}

interface InvocationRecord {
  readonly timestamp: string;
  readonly functionArn: string;
  readonly condition: string;
  readonly payload: Record<string, unknown> & {
    triggerSource: string;
    userPoolId: string;
  };
  readonly errorType: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a message body as a sender invocation record.
 *
 * @param message - one SQS message from the dead-letter queue
 */
export function readDeadLetter(message: Message): DeadLetter {
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
  if (
    typeof body.timestamp !== 'string' ||
    Number.isNaN(Date.parse(body.timestamp))
  ) {
    return { message, unreadable: 'no timestamp' };
  }
  if (typeof context.functionArn !== 'string') {
    return { message, unreadable: 'no function ARN' };
  }
  return {
    message,
    record: {
      timestamp: body.timestamp,
      functionArn: context.functionArn,
      condition: String(context.condition ?? 'unknown'),
      payload: payload as InvocationRecord['payload'],
      errorType: String(response.errorType ?? 'unknown'),
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
  const ageMinutes = Math.round(
    (nowMs - Date.parse(record.timestamp)) / 60_000,
  );
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
    `${ageMinutes} min ago`,
    record.payload.triggerSource,
    record.payload.userPoolId,
    phone,
    `${record.condition}/${record.errorType}`,
  ].join('  ');
}

/** What the tool talks to and how it reports. */
export interface DlqOptions {
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  readonly queueUrl: string;
  /** Invoke this function instead of the one in each record. */
  readonly functionName?: string;
  /** Leave events older than this in the queue (codes expire). */
  readonly maxAgeHours: number;
  /** Stop after this many messages. */
  readonly max: number;
  readonly dryRun: boolean;
  readonly print: (line: string) => void;
  readonly now?: () => number;
}

/** What a redrive (or a listing) did. */
export interface DlqSummary {
  seen: number;
  redriven: number;
  tooOld: number;
  unreadable: number;
  failed: number;
}

async function receive(options: DlqOptions, visibility: number) {
  const output = await options.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: visibility,
      WaitTimeSeconds: 0,
    }),
  );
  return output.Messages ?? [];
}

/**
 * Lists (or, unless `dryRun`, redrives) up to `max` dead letters. Each
 * message received stays hidden while the tool works (60 s at most), so a
 * message is seen once; what is not redriven and deleted is made visible
 * again at the end.
 *
 * @param mode - `list` prints only; `redrive` sends readable, recent events
 *   to the function and deletes them once Lambda accepted them
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
    tooOld: 0,
    unreadable: 0,
    failed: 0,
  };
  const seenIds = new Set<string>();
  const held: Message[] = [];
  while (summary.seen < options.max) {
    const messages = (await receive(options, 60)).filter(
      (m) => !seenIds.has(m.MessageId ?? ''),
    );
    if (messages.length === 0) break;
    for (const message of messages) {
      if (summary.seen >= options.max) break;
      seenIds.add(message.MessageId ?? '');
      summary.seen += 1;
      held.push(message);
      const letter = readDeadLetter(message);
      options.print(describeDeadLetter(letter, now()));
      if (!letter.record) {
        summary.unreadable += 1;
        continue;
      }
      const ageMs = now() - Date.parse(letter.record.timestamp);
      if (ageMs > options.maxAgeHours * 3_600_000) {
        summary.tooOld += 1;
        continue;
      }
      if (mode === 'list' || options.dryRun) continue;
      const accepted = await invoke(options, letter.record);
      if (!accepted) {
        summary.failed += 1;
        continue;
      }
      await options.sqs.send(
        new DeleteMessageCommand({
          QueueUrl: options.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
        }),
      );
      held.pop();
      summary.redriven += 1;
    }
  }
  await release(options, held);
  options.print(
    `${summary.seen} seen, ${summary.redriven} redriven, ${summary.tooOld} older than ${options.maxAgeHours} h (left), ${summary.unreadable} unreadable (left), ${summary.failed} not accepted (left)`,
  );
  return summary;
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
  try {
    const output = await options.lambda.send(
      new InvokeCommand({
        FunctionName: options.functionName ?? record.functionArn,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(record.payload)),
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
