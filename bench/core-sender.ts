/**
 * The custom SMS sender's own work for the bench's pure core (issue 3):
 * event parsing, prepareSms, the ESDK decrypt's local crypto, unescaping
 * and rendering; the KMS, DynamoDB and SMS calls are left out.
 *
 * The ESDK part: Cognito's message is decrypted with the function's own
 * decrypt options (buildDecrypt, REQUIRE_ENCRYPT_ALLOW_DECRYPT, one
 * encrypted data key) and the same algorithm suite (0x0378: AES-256-GCM,
 * HKDF-SHA384, ECDSA P-384 signature), but its data key is wrapped by a
 * raw AES keyring instead of KMS, so unwrapping it is one local AES-GCM
 * decrypt rather than a KMS call. Header parsing, key derivation, the
 * body decrypt and the signature check are the real ones.
 */

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { buildDecrypt, type DecryptOutput } from '@aws-crypto/decrypt-node';
import { config, requireSettings } from '../shared/config';
import {
  customSmsSenderEventSchema,
  resolveEventSchema,
} from '../shared/events/schemas';
import { prepareSms } from '../shared/sms/prepare';
import { unescapeTemporaryPassword } from '../shared/sms/unescape';
import { renderSms } from '../shared/templates';
import type { CoreCase } from './core-cases';

type Json = Record<string, unknown>;

const settings = () => requireSettings('sms', 'policy', 'templates');

function senderFixture(fixtures: string, name: string): Json {
  const file = path.join(fixtures, 'customSmsSender', `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Json;
}

function plaintextOf(fixtures: string, name: string): string {
  const file = path.join(fixtures, 'customSmsSender', '_plaintexts.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const plaintext = all[name];
  if (!plaintext) throw new Error(`bench core: no plaintext for ${name}`);
  return plaintext;
}

/** Parse, prepare, unescape and render: what the sender does itself. */
function senderWork() {
  const schema = resolveEventSchema(customSmsSenderEventSchema);
  const suite = settings();
  const render = (prepared: ReturnType<typeof prepareSms>, secret: string) => {
    if ('outcome' in prepared) throw new Error('bench core: not prepared');
    const { request, callerContext, userName } = prepared.event;
    const code =
      prepared.kind === 'AdminCreateUser'
        ? unescapeTemporaryPassword(secret)
        : secret;
    return renderSms({
      kind: prepared.kind,
      locales: [request.userAttributes.locale, request.clientMetadata?.locale],
      ...(callerContext?.clientId ? { clientId: callerContext.clientId } : {}),
      placeholders: { code, ...(userName ? { username: userName } : {}) },
      userAttributes: request.userAttributes,
    }).text;
  };
  return { schema, suite, render };
}

/** issue 3, part 1: parse + prepare + unescape + render, no decrypt. */
export const senderPrepareRender: CoreCase = async (fixtures) => {
  const event = senderFixture(fixtures, 'admin-create-user');
  const secret = plaintextOf(fixtures, 'admin-create-user');
  const { schema, suite, render } = senderWork();
  return (): unknown => {
    const parsed = schema.parse(event);
    return render(prepareSms(parsed, config.env, suite), secret).length;
  };
};

/** A 0x0378 message like Cognito's, under a local raw AES key. */
async function localCiphertext(plaintext: string, userPoolId: string) {
  const keyring = new RawAesKeyringNode({
    keyName: 'bench-local-key',
    keyNamespace: 'bench',
    unencryptedMasterKey: randomBytes(32),
    wrappingSuite:
      RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const { encrypt } = buildClient(
    CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
  );
  const { result } = await encrypt(keyring, plaintext, {
    encryptionContext: { 'userpool-id': userPoolId },
    suiteId:
      AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
  });
  return { keyring, code: Buffer.from(result).toString('base64') };
}

type DecryptFn = (
  keyring: RawAesKeyringNode,
  ciphertext: Buffer,
) => Promise<DecryptOutput>;

/** issue 3, whole: the same, plus the ESDK decrypt's local crypto. */
export const senderWithLocalDecrypt: CoreCase = async (fixtures) => {
  const base = senderFixture(fixtures, 'admin-create-user') as {
    userPoolId: string;
    request: Json;
  };
  const plaintext = plaintextOf(fixtures, 'admin-create-user');
  const escaped = plaintext.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const { keyring, code } = await localCiphertext(escaped, base.userPoolId);
  const event = { ...base, request: { ...base.request, code } };
  const { decrypt } = buildDecrypt({
    commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
    maxEncryptedDataKeys: 1,
  }) as { decrypt: DecryptFn };
  const { schema, suite, render } = senderWork();
  return async (): Promise<unknown> => {
    const parsed = schema.parse(event);
    const prepared = prepareSms(parsed, config.env, suite);
    if ('outcome' in prepared) throw new Error('bench core: not prepared');
    const output = await decrypt(keyring, Buffer.from(prepared.code, 'base64'));
    const context = output.messageHeader.encryptionContext;
    if (context['userpool-id'] !== parsed.userPoolId) {
      throw new Error('bench core: context mismatch');
    }
    const secret = Buffer.from(output.plaintext).toString('utf8');
    return render(prepared, secret) === undefined ? 0 : secret.length;
  };
};
