import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalStack } from '../support/local-stack';
import { trackSecret } from '../support/secrets';
import {
  ACTIVE,
  CT,
  freshRecord,
  NOW,
  storedRecoverySet,
} from '../support/totp-records';

/**
 * The TOTP record's conditional writes against moto's DynamoDB: a write
 * that follows a match must still find what was matched, or do nothing.
 * The shared modules are imported after the local stack is up, so their
 * SDK clients talk to it.
 */

const stack = useLocalStack();
let store: typeof import('../../shared/totp/store');

beforeAll(async () => {
  store = await import('../../shared/totp/store');
});

const target = () => freshRecord(stack.env.TOTP_TABLE, 'test');

describe('consumeRecoveryCode', () => {
  it('does not use up a code of a set that was replaced after the match', async () => {
    // Prepare
    const user = target();
    const oldSet = storedRecoverySet(['aaaaa-bbbbb', 'ccccc-ddddd']);
    const newSet = storedRecoverySet(['eeeee-fffff', 'ggggg-hhhhh']);
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active, recovery = :recovery',
      values: { ':active': ACTIVE, ':recovery': newSet },
    });

    // Act
    const left = await store.consumeRecoveryCode(user, {
      id: 'c1',
      set: oldSet,
      nowSeconds: NOW,
    });
    const after = await store.getRecord(user);

    // Assess
    expect(left).toBeUndefined();
    expect(Object.keys(after.recovery?.hashes ?? {})).toEqual(['c0', 'c1']);
  });

  it('does not use up a code while the user is locked out (a lock set after the match)', async () => {
    // Prepare
    const user = target();
    const codes = ['aaaaa-bbbbb', 'ccccc-ddddd'];
    trackSecret(...codes);
    const set = storedRecoverySet(codes);
    await store.updateRecord(user, {
      UpdateExpression:
        'SET active = :active, recovery = :recovery, lockedUntil = :until',
      values: { ':active': ACTIVE, ':recovery': set, ':until': NOW + 60 },
    });

    // Act
    const left = await store.consumeRecoveryCode(user, {
      id: 'c1',
      set,
      nowSeconds: NOW,
    });
    const after = await store.getRecord(user);

    // Assess
    expect(left).toBeUndefined();
    expect(after.recovery).toEqual(set);
    expect(after.lockedUntil).toBe(NOW + 60);
  });

  it('uses up a code of the set it matched in', async () => {
    // Prepare
    const user = target();
    const set = storedRecoverySet(['aaaaa-bbbbb', 'ccccc-ddddd']);
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active, recovery = :recovery',
      values: { ':active': ACTIVE, ':recovery': set },
    });

    // Act
    const left = await store.consumeRecoveryCode(user, {
      id: 'c1',
      set,
      nowSeconds: NOW,
    });

    // Assess
    expect(left).toBe(1);
  });
});

describe('acceptStep', () => {
  it('accepts nothing for a secret that was reset after the match, and recreates no record', async () => {
    // Prepare
    const user = target();
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active',
      values: { ':active': ACTIVE },
    });
    await store.deleteRecord(user);

    // Act
    const isAccepted = await store.acceptStep(user, {
      step: 100,
      ct: CT,
      nowSeconds: NOW,
    });
    const after = await store.getRecord(user);

    // Assess
    expect(isAccepted).toBe(false);
    expect(after).toEqual(await store.getRecord(target()));
  });

  it('accepts nothing for a secret that was replaced after the match', async () => {
    // Prepare
    const user = target();
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active',
      values: { ':active': { ...ACTIVE, ct: new Uint8Array([9, 9]) } },
    });

    // Act
    const isAccepted = await store.acceptStep(user, {
      step: 100,
      ct: CT,
      nowSeconds: NOW,
    });

    // Assess
    expect(isAccepted).toBe(false);
  });

  it('activates a pending secret of another period, replacing the last step of the old secret', async () => {
    // Prepare
    const user = target();
    const pending = { ...ACTIVE, ct: new Uint8Array([7, 7]), period: 60 };
    await store.updateRecord(user, {
      UpdateExpression:
        'SET active = :active, lastStep = :last, pending = :pending',
      values: {
        ':active': ACTIVE,
        ':last': 60_000_000,
        ':pending': { ...pending, origin: 'admin', expiresAt: NOW + 60 },
      },
    });

    // Act
    const isAccepted = await store.acceptStep(user, {
      step: 30_000_000,
      ct: pending.ct,
      nowSeconds: NOW,
      activate: { pendingCt: pending.ct, active: pending },
    });
    const after = await store.getRecord(user);

    // Assess
    expect(isAccepted).toBe(true);
    expect(after.lastStep).toBe(30_000_000);
    expect(after.active?.period).toBe(60);
    expect(after.pending).toBeUndefined();
  });

  it('activates with the recovery codes an operator issued after the match', async () => {
    // Prepare: Verify read the pending secret with its own set; then an
    // operator issued a new set (npm run totp -- recovery-codes)
    const user = target();
    const enrolledSet = storedRecoverySet(['aaaaa-bbbbb']);
    const issuedSet = storedRecoverySet(['eeeee-fffff']);
    const pending = { ...ACTIVE, ct: new Uint8Array([8, 8]) };
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active, pending = :pending',
      values: {
        ':active': ACTIVE,
        ':pending': {
          ...pending,
          origin: 'admin',
          expiresAt: NOW + 60,
          recovery: enrolledSet,
        },
      },
    });
    expect(await store.replaceRecoveryCodes(user, issuedSet)).toBe(true);

    // Act
    const isAccepted = await store.acceptStep(user, {
      step: 60_000_000,
      ct: pending.ct,
      nowSeconds: NOW,
      activate: {
        pendingCt: pending.ct,
        active: pending,
        recovery: enrolledSet,
      },
    });

    // Assess
    expect(isAccepted).toBe(true);
    expect((await store.getRecord(user)).recovery).toEqual(issuedSet);
  });

  it('accepts a later step of the secret that is still active', async () => {
    // Prepare
    const user = target();
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active',
      values: { ':active': ACTIVE },
    });

    // Act
    const isAccepted = await store.acceptStep(user, {
      step: 100,
      ct: CT,
      nowSeconds: NOW,
    });
    const after = await store.getRecord(user);

    // Assess
    expect(isAccepted).toBe(true);
    expect(after.lastStep).toBe(100);
  });
});
