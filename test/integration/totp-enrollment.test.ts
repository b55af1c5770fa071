import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { totpSettingsSchema } from '../../shared/totp/settings';
import { useLocalStack } from '../support/local-stack';
import { freshRecord, NOW } from '../support/totp-records';

/**
 * New pending secrets, sealed with moto's KMS: which copies of the
 * recovery codes each kind of enrollment keeps. The shared modules are
 * imported after the local stack is up, so their SDK clients talk to it.
 */

const stack = useLocalStack();
let enrollment: typeof import('../../shared/totp/enrollment');

beforeAll(async () => {
  enrollment = await import('../../shared/totp/enrollment');
});

function subjectAndDeployment() {
  const subject = {
    userPoolId: 'eu-central-1_Tr1ggers0',
    sub: randomUUID(),
    isUnknown: false,
    target: freshRecord(stack.env.TOTP_TABLE, 'enrollment'),
  };
  const deployment = {
    keyArn: stack.env.TOTP_KEY_ARN ?? '',
    settings: totpSettingsSchema.parse({}),
  };
  return { subject, deployment };
}

describe('newPending', () => {
  it("keeps an operator's recovery codes only as hashes", async () => {
    // Prepare
    const { subject, deployment } = subjectAndDeployment();

    // Act
    const { pending, material } = await enrollment.newPending(
      subject,
      deployment,
      { origin: 'admin', nowSeconds: NOW },
    );

    // Assess
    expect(material.recoveryCodes).toHaveLength(10);
    expect(Object.keys(pending.recovery?.hashes ?? {})).toHaveLength(10);
    expect(pending).not.toHaveProperty('rct');
  });

  it("keeps a self-enrollment's codes sealed, to show them again in the same sign-in", async () => {
    // Prepare
    const { subject, deployment } = subjectAndDeployment();

    // Act
    const { pending, material } = await enrollment.newPending(
      subject,
      deployment,
      { origin: 'self', nowSeconds: NOW },
    );
    const reopened = await enrollment.openPending(subject, deployment, pending);

    // Assess
    expect(pending.rct).toBeDefined();
    expect(reopened.recoveryCodes).toEqual(material.recoveryCodes);
  });
});
