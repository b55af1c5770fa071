import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { sharedBuildOptions } from '../../scripts/build';
import { loadEvent } from '../support/events';
import { capturedLogRecords } from '../support/log-capture';
import { ROOT } from '../support/provision';
import { trackSecret } from '../support/secrets';

/**
 * Support for the Custom SMS Sender integration tests: a recording HTTP
 * proxy in front of moto's SNS (it reads the region from each request's
 * SigV4 credential scope and can inject faults), a fake Lambda context,
 * and a bundle built with the project's esbuild options but another
 * `sms` settings section (for identity chains).
 */

/** A fault the proxy answers instead of forwarding (SNS Query protocol). */
/** The bundled sender as a test loads it. */
export type Sender = {
  handler: (event: unknown, context?: unknown) => Promise<unknown>;
};

export type SnsFault =
  | { kind: 'throttle' }
  | { kind: 'server-error' }
  | { kind: 'opted-out' }
  | { kind: 'latency'; ms: number };

/** One message attribute of a Publish (`MessageAttributes.entry.N`). */
export interface ProxiedAttribute {
  readonly dataType: string | undefined;
  readonly stringValue: string | undefined;
}

/** One SNS Publish the proxy saw. */
export interface ProxiedPublish {
  readonly region: string | undefined;
  readonly forwarded: boolean;
  /** Its message attributes by name, as the Query body carried them. */
  readonly attributes: Readonly<Record<string, ProxiedAttribute>>;
  /** Whether it named a `PhoneNumber` (the number itself is not kept). */
  readonly hasPhoneNumber: boolean;
}

export interface SnsProxy {
  readonly endpoint: string;
  readonly publishes: ProxiedPublish[];
  failNext(...faults: SnsFault[]): void;
  /** Fails every Publish signed for `region` until cleared. */
  failRegion(region: string | undefined): void;
  stop(): Promise<void>;
}

const regionOf = (req: IncomingMessage) =>
  /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(
    String(req.headers.authorization ?? ''),
  )?.[1];

/**
 * The message attributes of a Publish's form-encoded Query body:
 * `MessageAttributes.entry.N.Name`, `.Value.DataType`, `.Value.StringValue`.
 */
function messageAttributesOf(
  form: URLSearchParams,
): Record<string, ProxiedAttribute> {
  const attributes: Record<string, ProxiedAttribute> = {};
  for (const [key, name] of form) {
    const entry = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(key)?.[1];
    if (entry === undefined) continue;
    const value = `MessageAttributes.entry.${entry}.Value`;
    attributes[name] = {
      dataType: form.get(`${value}.DataType`) ?? undefined,
      stringValue: form.get(`${value}.StringValue`) ?? undefined,
    };
  }
  return attributes;
}

function snsError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
) {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

/** Sends the request on to `target`; `onAnswer` gets moto's reply. */
function relay(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
  onAnswer: (answer: IncomingMessage) => void,
  onError: () => void,
) {
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      path: req.url,
      method: req.method,
      headers: req.headers,
    },
    onAnswer,
  );
  upstream.on('error', onError);
  upstream.end(body);
}

function forward(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
) {
  relay(
    target,
    req,
    body,
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
    () => snsError(res, 502, 'BadGateway', 'upstream'),
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Starts the proxy on 127.0.0.1 in front of `targetEndpoint` (moto).
 *
 * @param targetEndpoint - moto's endpoint
 */
export async function startSnsProxy(targetEndpoint: string): Promise<SnsProxy> {
  const target = new URL(targetEndpoint);
  const publishes: ProxiedPublish[] = [];
  const faults: SnsFault[] = [];
  let failingRegion: string | undefined;
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (!body.toString('utf8').includes('Action=Publish'))
      return forward(target, req, body, res);
    const region = regionOf(req);
    let fault = faults.shift();
    if (fault?.kind === 'latency') {
      await new Promise((resolve) =>
        setTimeout(resolve, fault?.kind === 'latency' ? fault.ms : 0),
      );
      fault = undefined;
    }
    if (!fault && failingRegion && region === failingRegion)
      fault = { kind: 'server-error' };
    const form = new URLSearchParams(body.toString('utf8'));
    publishes.push({
      region,
      forwarded: !fault,
      attributes: messageAttributesOf(form),
      hasPhoneNumber: Boolean(form.get('PhoneNumber')),
    });
    if (!fault) return forward(target, req, body, res);
    if (fault.kind === 'throttle')
      return snsError(res, 400, 'Throttling', 'Rate exceeded');
    if (fault.kind === 'opted-out')
      return snsError(
        res,
        400,
        'InvalidParameter',
        'Phone number is opted out',
      );
    return snsError(res, 500, 'InternalError', 'internal error');
  });
  return {
    ...(await listenLocally(server)),
    publishes,
    failNext: (...next) => faults.push(...next),
    failRegion: (region) => {
      failingRegion = region;
    },
  };
}

/**
 * Starts an HTTP server on a free port of 127.0.0.1.
 *
 * @returns its endpoint, and a stop that also drops open connections
 */
async function listenLocally(
  server: Server,
): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A proxy in front of moto's DynamoDB that can lose replies. */
export interface DynamoProxy {
  readonly endpoint: string;
  /** The DynamoDB operations that reached it (`PutItem`, `UpdateItem`…). */
  readonly operations: string[];
  /**
   * The next call of this operation reaches moto, but its reply is lost:
   * the connection is reset instead, as on a network fault.
   */
  loseNextReply(operation: string): void;
  /**
   * The next `times` requests whose body contains `text` never reach moto:
   * each gets DynamoDB's 500 `InternalServerError` (which the SDK retries).
   */
  failWhere(text: string, times: number): void;
  stop(): Promise<void>;
}

/**
 * Starts a pass-through proxy on 127.0.0.1 in front of moto's DynamoDB.
 *
 * @param targetEndpoint - moto's endpoint
 */
export async function startDynamoProxy(
  targetEndpoint: string,
): Promise<DynamoProxy> {
  const target = new URL(targetEndpoint);
  const operations: string[] = [];
  const losing = new Set<string>();
  const failing: Array<{ text: string; times: number }> = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    operations.push(operation ?? '');
    const fault = failing.find(
      (f) => f.times > 0 && body.toString('utf8').includes(f.text),
    );
    if (fault) {
      fault.times -= 1;
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: 'Internal server error',
        }),
      );
      return;
    }
    if (!operation || !losing.delete(operation))
      return forward(target, req, body, res);
    // Moto applies the call; its reply is dropped and the connection reset.
    relay(
      target,
      req,
      body,
      (answer) => {
        answer.resume();
        answer.on('end', () => req.socket.destroy());
      },
      () => req.socket.destroy(),
    );
  });
  return {
    ...(await listenLocally(server)),
    operations,
    loseNextReply: (operation) => losing.add(operation),
    failWhere: (text, times) => failing.push({ text, times }),
  };
}

/** A proxy in front of moto's KMS that enforces a key policy's condition. */
export interface KmsPolicyProxy {
  readonly endpoint: string;
  /** The `userpool-id` context of each Decrypt that reached the proxy. */
  readonly decrypts: Array<string | undefined>;
  stop(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 in front of moto's KMS that answers
 * `AccessDeniedException` to every Decrypt whose encryption context's
 * `userpool-id` is not `allowedPoolId`: what the sender's key policy
 * (`kms:EncryptionContext:userpool-id`) makes real KMS do, and moto, which
 * ignores key policies, does not.
 *
 * @param targetEndpoint - moto's endpoint
 * @param allowedPoolId - the pool the key policy allows
 */
export async function startKmsPolicyProxy(
  targetEndpoint: string,
  allowedPoolId: string,
): Promise<KmsPolicyProxy> {
  const target = new URL(targetEndpoint);
  const decrypts: Array<string | undefined> = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.headers['x-amz-target'] !== 'TrentService.Decrypt')
      return forward(target, req, body, res);
    const request = JSON.parse(body.toString('utf8')) as {
      EncryptionContext?: Record<string, string>;
    };
    const poolId = request.EncryptionContext?.['userpool-id'];
    decrypts.push(poolId);
    if (poolId === allowedPoolId) return forward(target, req, body, res);
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        __type: 'AccessDeniedException',
        message: 'User is not authorized to perform: kms:Decrypt',
      }),
    );
  });
  return { ...(await listenLocally(server)), decrypts };
}

/**
 * A sender fixture event for a fresh user and number, so that velocity
 * limits and idempotency records of other tests never interfere.
 *
 * @param name - the fixture (`test/fixtures/events/customSmsSender/<name>.json`)
 * @param phone - the destination (default: a fresh GB test number)
 */
export function senderEvent(name = 'sign-up', phone = freshPhone()) {
  const event = loadEvent('customSmsSender', name);
  trackSecret(phone);
  event.request.userAttributes.phone_number = phone;
  const sub = randomUUID();
  event.request.userAttributes.sub = sub;
  event.userName = sub;
  return { event, phone };
}

/** The sender's outcome log lines (one per invocation), in order. */
export function senderOutcomes(): Array<Record<string, unknown>> {
  return capturedLogRecords().filter((record) =>
    /^sms (sent|refused|failed|duplicate|dry run)/.test(String(record.message)),
  );
}

/** A Lambda context with a fixed budget. */
export function fakeContext(remainingMs = 30_000) {
  const deadline = Date.now() + remainingMs;
  return {
    awsRequestId: randomUUID(),
    functionName: 'customSmsSender',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

let counter = 0;
const offset = Math.floor(Math.random() * 100_000);

/**
 * A UK mobile number (+44 7700 9xxxxx, all of it Great Britain's: other
 * +44 7700 ranges belong to Jersey) no other call in this process got,
 * tracked as a secret so the log capture fails any test that logs it.
 * Stepping by 10,007 (coprime with 10^5) never repeats a number within
 * 100,000 calls, and moves to another of the ten number ranges (the
 * per-prefix counter's key) at every call.
 */
export function freshPhone(): string {
  counter += 1;
  const digits = (offset + counter * 10_007) % 100_000;
  const phone = `+4477009${String(digits).padStart(5, '0')}`;
  trackSecret(phone);
  return phone;
}

/**
 * Builds the sender with the project's esbuild options (as `npm run
 * build`), but with another `sms` section in config/suite.json.
 *
 * @param sms - the `sms` settings to bundle
 * @returns the bundle's path (load it with `require`)
 */
export async function buildSenderWithSettings(sms: unknown): Promise<string> {
  const suite = JSON.parse(
    readFileSync(path.join(ROOT, 'config/suite.json'), 'utf8'),
  );
  const contents = JSON.stringify({ ...suite, sms });
  const outfile = path.join(
    mkdtempSync(path.join(tmpdir(), 'sms-sender-')),
    'index.js',
  );
  await build({
    ...sharedBuildOptions(),
    entryPoints: [path.join(ROOT, 'functions/custom-sms-sender/handler.ts')],
    outfile,
    logLevel: 'warning',
    plugins: [
      ...(sharedBuildOptions().plugins ?? []),
      {
        name: 'suite-settings',
        setup(builder) {
          builder.onLoad({ filter: /config[\\/]suite\.json$/ }, () => ({
            contents,
            loader: 'json',
          }));
        },
      },
    ],
  });
  return outfile;
}
