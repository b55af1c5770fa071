import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalStack } from '../support/local-stack';
import {
  ACTIVE,
  CT,
  freshRecord,
  NOW,
  storedRecoverySet,
} from '../support/totp-records';
import {
  type DynamoProxy,
  startDynamoProxy,
} from './custom-sms-sender.support';

/**
 * The TOTP record's writes when a reply is lost and the SDK sends the same
 * write again: the second try must find its own first one, not fail the
 * condition that one changed. The store's clients talk to moto through a
 * proxy that can drop a reply (they are built on first use, after it is up).
 */

const stack = useLocalStack();
let proxy: DynamoProxy;
let store: typeof import('../../shared/totp/store');
let failures: typeof import('../../shared/totp/failures');

beforeAll(async () => {
  proxy = await startDynamoProxy(stack.moto.endpoint);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.endpoint;
  store = await import('../../shared/totp/store');
  failures = await import('../../shared/totp/failures');
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  await proxy?.stop();
});

const target = () => freshRecord(stack.env.TOTP_TABLE, 'retry');

describe('a TOTP write sent twice after a lost reply', () => {
  it('still accepts the step it recorded', async () => {
    // Prepare
    const user = target();
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active',
      values: { ':active': ACTIVE },
    });
    proxy.loseNextReply('UpdateItem');
    const before = proxy.operations.length;

    // Act
    const isAccepted = await store.acceptStep(user, {
      step: 100,
      ct: CT,
      nowSeconds: NOW,
    });

    // Assess
    expect(isAccepted).toBe(true);
    expect(
      proxy.operations.slice(before).filter((op) => op === 'UpdateItem'),
    ).toHaveLength(2);
    expect((await store.getRecord(user)).lastStep).toBe(100);
  });

  it('still uses up the recovery code it removed', async () => {
    // Prepare
    const user = target();
    const set = storedRecoverySet(['aaaaa-bbbbb', 'ccccc-ddddd']);
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active, recovery = :recovery',
      values: { ':active': ACTIVE, ':recovery': set },
    });
    proxy.loseNextReply('UpdateItem');

    // Act
    const left = await store.consumeRecoveryCode(user, {
      id: 'c0',
      set,
      nowSeconds: NOW,
    });

    // Assess
    expect(left).toBe(1);
  });

  it('reserves one attempt, not two', async () => {
    // Prepare
    const user = target();
    const options = {
      lockout: {
        threshold: 3,
        baseSeconds: 60,
        maxSeconds: 3600,
        maxLockouts: 20,
      },
      nowSeconds: NOW,
    };
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active',
      values: { ':active': ACTIVE },
    });
    proxy.loseNextReply('UpdateItem');
    const before = proxy.operations.length;

    // Act
    const reservation = await failures.reserveAttempt(user, options);

    // Assess
    expect(
      proxy.operations.slice(before).filter((op) => op === 'UpdateItem'),
    ).toHaveLength(2);
    expect(reservation).toEqual({ failures: 1, lockouts: 0 });
    expect((await store.getRecord(user)).failures).toBe(1);
  });

  it('gives one attempt back, not two', async () => {
    // Prepare
    const user = target();
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active, failures = :two',
      values: { ':active': ACTIVE, ':two': 2 },
    });
    proxy.loseNextReply('UpdateItem');

    // Act
    await failures.releaseAttempt(user);

    // Assess
    expect((await store.getRecord(user)).failures).toBe(1);
  });
});

describe('undoing a reservation whose outcome is unknown', () => {
  const options = {
    lockout: {
      threshold: 5,
      baseSeconds: 60,
      maxSeconds: 3600,
      maxLockouts: 20,
    },
    nowSeconds: NOW,
  };
  const enrolled = async () => {
    const user = target();
    await store.updateRecord(user, {
      UpdateExpression: 'SET active = :active',
      values: { ':active': ACTIVE },
    });
    return user;
  };

  it('takes back a reservation that applied and is still the last write', async () => {
    // Prepare
    const user = await enrolled();
    const writeId = store.newWriteId();
    await failures.reserveAttempt(user, options, writeId);

    // Act
    await failures.undoReservation(user, writeId);

    // Assess
    expect((await store.getRecord(user)).failures).toBe(0);
  });

  it("never takes back another answer's attempt", async () => {
    // Prepare: ours never applied; another session's did
    const user = await enrolled();
    await failures.reserveAttempt(user, options);

    // Act
    await failures.undoReservation(user, store.newWriteId());

    // Assess
    expect((await store.getRecord(user)).failures).toBe(1);
  });
});
