import type { RecordedSms } from '../../test/support/moto';

/**
 * What `npm run demo` hands each flow: the local stack's environment and a
 * way to invoke a function's bundle (dist/<key>/index.js, the code that
 * deploys) as Cognito would.
 */
export interface DemoContext {
  /** The functions' environment, as provisioned on the local stack. */
  env: Record<string, string>;
  /** The local AWS endpoint (moto). */
  endpoint: string;
  /** Prints one line of demo output. */
  print: (line: string) => void;
  /** Invokes a function key's bundle with an event; resolves to its result. */
  invoke: (key: string, event: unknown) => Promise<unknown>;
  /** Every SMS SNS accepted so far (what would reach a phone). */
  smsMessages: () => Promise<RecordedSms[]>;
  /** The End User Messaging SMS stand-in's endpoint. */
  smsVoiceEndpoint: string;
}
