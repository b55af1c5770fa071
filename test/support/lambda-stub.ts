import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/**
 * A loopback stand-in for Lambda's Invoke API (moto runs functions only in
 * Docker, which this machine has not): it speaks the REST protocol
 * (`POST /2015-03-31/functions/<name>/invocations`), so the real SDK
 * client talks to it unchanged. It records each invocation and answers an
 * asynchronous one with 202, or with the status it was told to fail with.
 */
export interface RecordedInvocation {
  readonly functionName: string;
  readonly invocationType: string | undefined;
  readonly payload: unknown;
}

export interface LambdaStub {
  readonly endpoint: string;
  readonly invocations: RecordedInvocation[];
  /** Answer the next `count` invocations with this HTTP status. */
  failNext(count: number, status: number): void;
  stop(): Promise<void>;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the stand-in on 127.0.0.1 (a free port). */
export async function startLambdaStub(): Promise<LambdaStub> {
  const invocations: RecordedInvocation[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 0 };
  const server: Server = createServer(
    (request: IncomingMessage, response: ServerResponse) => {
      void (async () => {
        const match = INVOKE.exec((request.url ?? '').split('?')[0] ?? '');
        const body = await bodyOf(request);
        if (request.method !== 'POST' || !match) {
          response.writeHead(404).end();
          return;
        }
        if (failures.count > 0) {
          failures = { ...failures, count: failures.count - 1 };
          response
            .writeHead(failures.status, {
              'content-type': 'application/json',
              'x-amzn-errortype': 'ServiceException',
            })
            .end(JSON.stringify({ Type: 'Service', message: 'stub failure' }));
          return;
        }
        const type = request.headers['x-amz-invocation-type'];
        invocations.push({
          functionName: decodeURIComponent(match[1] as string),
          invocationType: Array.isArray(type) ? type[0] : type,
          payload: JSON.parse(body),
        });
        response.writeHead(type === 'Event' ? 202 : 200).end();
      })();
    },
  );
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations,
    failNext(count, status) {
      failures = { count, status };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
