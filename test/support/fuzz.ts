import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { loadEvent } from './events';
import { ROOT } from './provision';
import { trackSecret } from './secrets';

/**
 * Damaged Cognito events for fuzz tests: a fixture with one to three random
 * changes (a field dropped, replaced by any JSON value, a hostile string or
 * key added, `__proto__` included), round-tripped through JSON as Lambda
 * delivers them.
 */

export type Json =
  | null
  | boolean
  | number
  | string
  | Json[]
  | { [key: string]: Json };

const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '\u0000\u001f\u007f\u2028',
  '{####}',
  '{username}',
  '{##Verify##}',
  '\u202Egnp.exe',
  'x'.repeat(5_000),
  '日本語のテキスト',
  '🙂'.repeat(40),
  'de-AT',
  'CustomMessage_SignUp',
  'CustomSMSSender_SignUp',
  'CUSTOM_CHALLENGE',
  'ada@example.com',
  '+4915112345678',
];
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'locale',
  'phone_number',
  'email',
  'code',
  'custom:totp',
];

/**
 * Keys a caller may give `clientMetadata` or `validationData`: any text, so
 * none may reach a log line. Registered as secrets, so the log capture
 * fails a test that logs one, whatever its shape.
 */
export const CALLER_KEYS = [
  'grace@example.org',
  '+14155550100',
  'Grace Hopper',
] as const;
trackSecret(...CALLER_KEYS);
// Hostile values that are personal data: never logged in the clear.
trackSecret('ada@example.com', '+4915112345678');

const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(...HOSTILE_STRINGS),
);
const hostileKey = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom(...HOSTILE_KEYS),
);
const { value: hostileValue } = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    hostileString,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 3 }),
  ),
}));

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'add'; at: number; key: string; value: Json }
  | { op: 'callerKey'; map: string; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('replace' as const),
    at: fc.nat(),
    value: hostileValue,
  }),
  fc.record({
    op: fc.constant('add' as const),
    at: fc.nat(),
    key: hostileKey,
    value: hostileValue,
  }),
  fc.record({
    op: fc.constant('callerKey' as const),
    map: fc.constantFrom('clientMetadata', 'validationData'),
    key: fc.constantFrom(...CALLER_KEYS),
    value: hostileValue,
  }),
);

/** Every container in `root` with the key that leads to each child. */
function slots(
  root: Json,
): Array<{ parent: Json[] | Record<string, Json>; key: string | number }> {
  const found: Array<{
    parent: Json[] | Record<string, Json>;
    key: string | number;
  }> = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        found.push({ parent: node, key: index });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        found.push({ parent: node, key });
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

const define = (object: object, key: string, value: Json) =>
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });

/** Adds a caller-chosen key to `request.<map>`, creating the map. */
function addCallerKey(
  event: Json,
  change: { map: string; key: string; value: Json },
): void {
  const request = (event as { request?: Json }).request;
  if (request === null || typeof request !== 'object' || Array.isArray(request))
    return;
  const existing = (request as Record<string, Json>)[change.map];
  const map =
    existing !== null &&
    typeof existing === 'object' &&
    !Array.isArray(existing)
      ? existing
      : {};
  define(map, change.key, change.value);
  define(request, change.map, map);
}

/** `event` with the mutations applied, as the JSON Lambda would deliver. */
export function damaged(event: Json, mutations: readonly Mutation[]): unknown {
  const copy = JSON.parse(JSON.stringify(event)) as Json;
  for (const change of mutations) {
    if (change.op === 'callerKey') {
      addCallerKey(copy, change);
      continue;
    }
    const all = slots(copy);
    if (all.length === 0) break;
    const { parent, key } = all[change.at % all.length]!;
    const target = parent as Record<string, Json>;
    if (change.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete target[key];
    } else if (change.op === 'replace') {
      define(target, String(key), change.value);
    } else {
      const holder = target[key];
      const object =
        holder !== null && typeof holder === 'object' && !Array.isArray(holder)
          ? holder
          : target;
      define(object, change.key, change.value);
    }
  }
  return JSON.parse(JSON.stringify(copy));
}

/**
 * The event fixtures of a function, their secrets (codes, answers, phone
 * numbers, email addresses, plaintexts) registered with the log capture.
 */
export function fixturesOf(key: string): Json[] {
  const dir = path.join(ROOT, 'test/fixtures/events', key);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && !file.startsWith('_'))
    .map((file) => loadEvent<Json>(key, file.replace(/\.json$/, '')));
}

/** A fixture as it was prepared, and the same event damaged. */
export interface DamagedEvent {
  readonly original: Json;
  readonly event: unknown;
}

/**
 * A fixture of `key` (test/fixtures/events/<key>), prepared, and a damaged
 * copy of it.
 *
 * @param key - the function key, e.g. `customSmsSender`
 * @param prepare - adjusts each fixture before it is damaged (fresh users)
 */
export function damagedEvents(
  key: string,
  prepare: (fixture: Json) => Json = (fixture) => fixture,
): fc.Arbitrary<DamagedEvent> {
  return fc
    .tuple(
      fc.constantFrom(...fixturesOf(key)),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
    )
    .map(([fixture, mutations]) => {
      const original = prepare(fixture);
      return { original, event: damaged(original, mutations) };
    });
}
