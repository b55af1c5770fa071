import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/**
 * A loopback stand-in for AWS End User Messaging SMS (pinpoint-sms-voice-v2),
 * which no emulator covers. It speaks the service's JSON 1.0 protocol
 * (`x-amz-target: PinpointSMSVoiceV2.<Operation>`), so the real SDK client
 * talks to it unchanged through `AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2`.
 *
 * It records every SendTextMessage and can be told to fail the next calls:
 * throttling, a 5xx, a validation or conflict error with a reason, or added
 * latency. Tests drive it in-process; other processes (demo, invoke) use its
 * control routes: `GET /_stub/messages`, `POST /_stub/faults`,
 * `POST /_stub/reset`.
 */

export type StubFault =
  | { kind: 'throttle' }
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 504 }
  | { kind: 'validation'; reason: string }
  | { kind: 'conflict'; reason: string }
  | { kind: 'access-denied'; reason?: string }
  | { kind: 'service-quota'; reason: string }
  | { kind: 'latency'; ms: number };

/** A SendTextMessage the stub accepted (or saw, if it failed it). */
export interface RecordedTextMessage {
  readonly messageId: string | undefined;
  readonly accepted: boolean;
  readonly region: string | undefined;
  readonly input: Record<string, unknown>;
}

export interface SmsVoiceStub {
  readonly endpoint: string;
  readonly messages: RecordedTextMessage[];
  /** Queue faults for the next calls, in order. */
  failNext(...faults: StubFault[]): void;
  reset(): void;
  stop(): Promise<void>;
}

const ERRORS: Record<string, { status: number; type: string }> = {
  throttle: { status: 400, type: 'ThrottlingException' },
  validation: { status: 400, type: 'ValidationException' },
  conflict: { status: 400, type: 'ConflictException' },
  'access-denied': { status: 400, type: 'AccessDeniedException' },
  'service-quota': { status: 400, type: 'ServiceQuotaExceededException' },
};

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type?: string,
) {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    ...(type ? { 'x-amzn-errortype': type } : {}),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The region in the request's SigV4 credential scope. */
function regionOf(req: IncomingMessage): string | undefined {
  const auth = String(req.headers.authorization ?? '');
  return /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(auth)?.[1];
}

/**
 * Starts the stand-in on 127.0.0.1 on a free port.
 */
export async function startSmsVoiceStub(): Promise<SmsVoiceStub> {
  const messages: RecordedTextMessage[] = [];
  const faults: StubFault[] = [];

  async function handleSendTextMessage(
    req: IncomingMessage,
    res: ServerResponse,
    input: Record<string, unknown>,
  ) {
    let fault = faults.shift();
    while (fault?.kind === 'latency') {
      await new Promise((resolve) =>
        setTimeout(resolve, fault?.kind === 'latency' ? fault.ms : 0),
      );
      fault = faults.shift();
    }
    const region = regionOf(req);
    if (!fault) {
      const messageId = randomUUID();
      messages.push({ messageId, accepted: true, region, input });
      send(res, 200, { MessageId: messageId });
      return;
    }
    messages.push({ messageId: undefined, accepted: false, region, input });
    if (fault.kind === 'server-error') {
      send(
        res,
        fault.status ?? 500,
        { Message: 'internal error' },
        'InternalServerException',
      );
      return;
    }
    const error = ERRORS[fault.kind] ?? ERRORS.validation!;
    const reason = 'reason' in fault ? fault.reason : undefined;
    send(
      res,
      error.status,
      {
        __type: error.type,
        Message: `stub ${fault.kind}`,
        ...(reason ? { Reason: reason } : {}),
      },
      error.type,
    );
  }

  const server: Server = createServer(async (req, res) => {
    try {
      const url = req.url ?? '/';
      if (url.startsWith('/_stub/')) {
        const body = req.method === 'POST' ? await readBody(req) : '';
        if (url === '/_stub/messages') return send(res, 200, messages);
        if (url === '/_stub/reset') {
          messages.length = 0;
          faults.length = 0;
          return send(res, 200, {});
        }
        if (url === '/_stub/faults') {
          faults.push(...(JSON.parse(body || '[]') as StubFault[]));
          return send(res, 200, { queued: faults.length });
        }
        return send(res, 404, {});
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = await readBody(req);
      const input = JSON.parse(body || '{}') as Record<string, unknown>;
      if (target === 'PinpointSMSVoiceV2.SendTextMessage') {
        return await handleSendTextMessage(req, res, input);
      }
      return send(
        res,
        400,
        { __type: 'UnknownOperationException', Message: target },
        'UnknownOperationException',
      );
    } catch {
      send(res, 500, { Message: 'stub failure' }, 'InternalServerException');
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    messages,
    failNext: (...next) => faults.push(...next),
    reset: () => {
      messages.length = 0;
      faults.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
