import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { ROOT } from './provision';

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
  // A caller chooses clientMetadata and validationData keys: any text.
  'grace@example.org',
  '+14155550100',
];

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
  | { op: 'add'; at: number; key: string; value: Json };

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

/** `event` with the mutations applied, as the JSON Lambda would deliver. */
export function damaged(event: Json, mutations: readonly Mutation[]): unknown {
  const copy = JSON.parse(JSON.stringify(event)) as Json;
  for (const change of mutations) {
    const all = slots(copy);
    if (all.length === 0) break;
    const { parent, key } = all[change.at % all.length]!;
    const target = parent as Record<string, Json>;
    if (change.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete target[key];
    } else if (change.op === 'replace') {
      Object.defineProperty(target, key, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      const holder = target[key];
      const object =
        holder !== null && typeof holder === 'object' && !Array.isArray(holder)
          ? holder
          : target;
      Object.defineProperty(object, change.key, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return JSON.parse(JSON.stringify(copy));
}

export function fixturesOf(key: string): Json[] {
  const dir = path.join(ROOT, 'test/fixtures/events', key);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && !file.startsWith('_'))
    .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
}

/**
 * A fixture of `key` (test/fixtures/events/<key>) and the changes to make.
 *
 * @param key - the function key, e.g. `customSmsSender`
 * @param prepare - adjusts each fixture before it is damaged (fresh users)
 */
export function damagedEvents(
  key: string,
  prepare: (fixture: Json) => Json = (fixture) => fixture,
): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.constantFrom(...fixturesOf(key)),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
    )
    .map(([fixture, mutations]) => damaged(prepare(fixture), mutations));
}
