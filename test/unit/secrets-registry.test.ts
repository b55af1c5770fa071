import { afterEach, describe, expect, it } from 'vitest';
import {
  clearTrackedSecrets,
  findTrackedSecrets,
  trackSecret,
} from '../support/secrets';

afterEach(() => {
  clearTrackedSecrets();
});

describe('the tracked-secrets registry (test support)', () => {
  it('finds a code standing on its own or glued to words', () => {
    // Prepare
    trackSecret('393366');

    // Act
    const found = [
      '{"message":"your code is 393366"}',
      'code=393366;',
      'code393366x',
    ].map((line) => findTrackedSecrets(line));

    // Assess
    expect(found).toEqual([['393366'], ['393366'], ['393366']]);
  });

  it('takes no code for a leak inside a request id, a hash or a longer number', () => {
    // Prepare
    trackSecret('393366');

    // Act
    const found = findTrackedSecrets(
      [
        '{"function_request_id":"a393366f-4b1d-8e2f-9a1b-0c1d4e5f6a7b"}',
        '{"function_request_id":"5f0c1e2a-4b1d-8e2f-9a1b-c393366d4e5f"}',
        '{"pk":"velocity#sms_per_phone#9f2a393366be41c0d8e7a6b5c4d3e2f1#1800"}',
        '{"timestamp":1763933936612}',
      ].join('\n'),
    );

    // Assess
    expect(found).toEqual([]);
  });
});
