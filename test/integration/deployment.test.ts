import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { senderNodeOptions } from '../../infra/heap.js';
import { functionEntries } from '../../scripts/build';
import { smsSettingsSchema } from '../../shared/sms/settings';
import { ROOT } from '../support/provision';
import {
  alarmNoiseFindings,
  asyncInvokeFindings,
  cognitoPermissionFindings,
  cognitoTrustFindings,
  deadLetterFindings,
  synchronousTriggerFunctions,
  timeoutFindings,
} from '../unit/infra/template-checks';
import {
  codeKeyDecryptFindings,
  decryptingGrantFindings,
  policyStatements,
  type Template,
  totpKeyContextFindings,
  wildcardActionFindings,
  wildcardResourceFindings,
} from '../unit/infra/template-walk';
import {
  AUTH_CHALLENGE_FUNCTIONS,
  AUTH_CHALLENGE_SECONDS,
  COGNITO_WAIT_SECONDS,
  describeCommonChecks,
  POOL,
  SENDER,
  SENDER_ASYNC,
  TRIGGERS,
  usePackagedMode,
} from './deployment-modes';

// poolMode=new (the default stage parameters, plus an alarm email).
const packaged = usePackagedMode('new');

describeCommonChecks('new', packaged);

/** Every SNS topic, which a grant to publish SMS denies. */
const ANY_TOPIC = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
  'Fn::Sub': 'arn:${AWS::Partition}:sns:*:*:*',
};

/** TOTP secrets of this region's pools (TotpPoolBinding narrows to the pool). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
const NEW_POOL_SCOPE = { 'Fn::Sub': '${AWS::Region}_*' };

/** Every deployment-setting finding of the new-pool template. */
const settingFindings = (template: Template): string[] => [
  ...asyncInvokeFindings(template, SENDER, SENDER_ASYNC),
  ...totpKeyContextFindings(template, NEW_POOL_SCOPE),
  ...timeoutFindings(
    template,
    AUTH_CHALLENGE_FUNCTIONS,
    AUTH_CHALLENGE_SECONDS,
  ),
  // Whole seconds: under 5 is at most 4.
  ...timeoutFindings(
    template,
    synchronousTriggerFunctions(template, POOL),
    COGNITO_WAIT_SECONDS - 1,
  ),
];

/** The files of a zip, by name. */
async function zipFiles(file: string): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const files = new Map<string, string>();
  for (const entry of Object.values(zip.files)) {
    if (!entry.dir) files.set(entry.name, await entry.async('string'));
  }
  return files;
}

describe('deployment, new pool', () => {
  it('packs each function with the lazy chunks its bundle requires and nothing of another function', async () => {
    // Prepare
    const handlers = functionEntries().map(({ key, entry }) => ({
      key,
      file: path
        .relative(ROOT, entry)
        .replace(/\.ts$/, '.js')
        .split(path.sep)
        .join('/'),
    }));

    for (const { key, file } of handlers) {
      // Act
      const files = await zipFiles(packaged.zipOf(key));
      const bundle = files.get(file) ?? '';
      const required = [...bundle.matchAll(/require\("\.\/([^"]+)"\)/g)].map(
        (match) => `${path.posix.dirname(file)}/${match[1]}`,
      );

      // Assess
      expect(bundle.length, `${key}: ${file}`).toBeGreaterThan(0);
      for (const chunk of required) {
        expect(files.has(chunk), `${key} requires ${chunk}`).toBe(true);
      }
      const others = handlers.filter((other) => other.key !== key);
      for (const name of files.keys()) {
        for (const other of others) {
          expect(name.startsWith(path.posix.dirname(other.file))).toBe(false);
        }
      }
    }
    const defineFiles = await zipFiles(packaged.zipOf('defineAuthChallenge'));
    expect(
      [...defineFiles.keys()].filter((name) => name.endsWith('.js')).sort(),
    ).toEqual([
      'functions/define-auth-challenge/handler.js',
      'functions/define-auth-challenge/handler.sdk.js',
    ]);
  });

  it('runs every function on nodejs22.x or newer, arm64', () => {
    // Act
    const functions = packaged.resourcesOfType('AWS::Lambda::Function');

    // Assess
    expect(functions.length).toBeGreaterThanOrEqual(6);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it("starts the sender with 2 MB semi-spaces and Lambda's old space for its memory, the others with Lambda's flags", () => {
    // Act
    const functions = packaged.resourcesOfType('AWS::Lambda::Function');
    const options = Object.fromEntries(
      functions.map(([name, fn]) => [
        name,
        fn.Properties.Environment?.Variables?.NODE_OPTIONS,
      ]),
    );
    const sender = packaged.template().Resources[SENDER];

    // Assess
    expect(options[SENDER]).toBe(
      senderNodeOptions(sender?.Properties.MemorySize),
    );
    expect(options[SENDER]).toContain('--max-semi-space-size=2 ');
    for (const [name, value] of Object.entries(options)) {
      if (name !== SENDER) expect(value, name).toBeUndefined();
    }
  });

  it('creates the pool with every trigger and the custom sender keyed', () => {
    // Prepare
    const pool = packaged.template().Resources[POOL];

    // Act
    const lambdaConfig = pool.Properties.LambdaConfig;

    // Assess
    expect(Object.keys(lambdaConfig).sort()).toEqual(
      [...TRIGGERS, 'KMSKeyID'].sort(),
    );
    expect(lambdaConfig.CustomSMSSender.LambdaVersion).toBe('V1_0');
    expect(lambdaConfig.KMSKeyID).toEqual({ 'Fn::GetAtt': ['CodeKey', 'Arn'] });
    expect(pool.Properties.UserPoolName).toBe('cognito-trigger-suite-ci');
    const recovery = pool.Properties.AccountRecoverySetting.RecoveryMechanisms;
    expect(recovery[0]).toEqual({ Name: 'verified_phone_number', Priority: 1 });
  });

  it('verifies email with a code, as the templates are written', () => {
    // Act
    const pool = packaged.template().Resources[POOL];

    // Assess
    expect(pool.Properties.VerificationMessageTemplate).toEqual({
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
    });
  });

  it('lets Cognito invoke each function only from the pool', () => {
    // Prepare
    const template = packaged.template();

    // Act
    const findings = cognitoPermissionFindings(template, POOL);

    // Assess
    expect(findings).toEqual([]);
    expect(packaged.resourcesOfType('AWS::Lambda::Permission')).toHaveLength(6);
  });

  it('has an app client for the TOTP flow that writes no internal attribute', () => {
    // Prepare
    const clients = packaged.resourcesOfType('AWS::Cognito::UserPoolClient');

    // Act
    const props = clients[0]?.[1].Properties;

    // Assess
    // Custom auth only: any password-only flow would skip the TOTP round.
    expect(props.ExplicitAuthFlows.sort()).toEqual([
      'ALLOW_CUSTOM_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
    expect(props.PreventUserExistenceErrors).toBe('ENABLED');
    expect(props.GenerateSecret).toBe(false);
    for (const attribute of props.WriteAttributes) {
      expect(attribute).not.toMatch(/^custom:|_verified$/);
    }
  });

  it('gives Cognito an SMS role for publishing only, in the table region', () => {
    // Prepare
    const template = packaged.template();

    // Act
    const sms = template.Resources[POOL].Properties.SmsConfiguration;
    const role = template.Resources.CognitoSmsRole.Properties;

    // Assess
    expect(sms.SnsCallerArn).toEqual({
      'Fn::GetAtt': ['CognitoSmsRole', 'Arn'],
    });
    // Only the table's regions for the pool: Cognito refuses any other.
    const table = (column: string) => ({
      'Fn::FindInMap': ['SnsRegions', { Ref: 'AWS::Region' }, column],
    });
    expect(sms.SnsRegion).toEqual({
      'Fn::If': ['SnsRegionIsLegacy', table('Legacy'), table('Primary')],
    });
    const trust = role.AssumeRolePolicyDocument.Statement[0].Condition;
    expect(trust.StringEquals['sts:ExternalId']).toEqual(sms.ExternalId);
    expect(role.Policies[0].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
      {
        Effect: 'Deny',
        Action: 'sns:Publish',
        Resource: ANY_TOPIC,
      },
    ]);
  });

  it('gives the sender a grant to publish SMS and none for End User Messaging when it sends through SNS', () => {
    // Prepare
    const template = packaged.template();

    // Act
    const role = template.Resources.CustomSmsSenderRole.Properties;

    // Assess
    expect(role.ManagedPolicyArns).toEqual([{ Ref: 'SenderPublishesSms' }]);
    expect(
      template.Resources.SenderPublishesSms.Properties.PolicyDocument.Statement,
    ).toEqual([
      {
        Sid: 'PublishSms',
        Effect: 'Allow',
        Action: 'sns:Publish',
        Resource: '*',
      },
      {
        Sid: 'NoTopics',
        Effect: 'Deny',
        Action: 'sns:Publish',
        Resource: ANY_TOPIC,
      },
    ]);
    expect(template.Resources.SenderSendsTextMessages).toBeUndefined();
    expect(JSON.stringify(template)).not.toContain('sms-voice:');
  });

  it('narrows the sender to codes of the pool once it exists', () => {
    // Prepare
    const binding = packaged.template().Resources.SenderPoolBinding.Properties;

    // Act
    const [statement] = binding.PolicyDocument.Statement;

    // Assess
    expect(statement.Effect).toBe('Deny');
    expect(statement.Action).toBe('kms:Decrypt');
    expect(
      statement.Condition.StringNotEquals['kms:EncryptionContext:userpool-id'],
    ).toEqual({ Ref: POOL });
  });

  it('narrows Create and Verify to TOTP secrets of the pool once it exists', () => {
    // Prepare
    const binding = packaged.template().Resources.TotpPoolBinding.Properties;

    // Act
    const [statement] = binding.PolicyDocument.Statement;

    // Assess
    expect(binding.Roles).toEqual([
      { Ref: 'CreateAuthChallengeRole' },
      { Ref: 'VerifyAuthChallengeResponseRole' },
    ]);
    expect(statement).toMatchObject({
      Effect: 'Deny',
      Action: ['kms:Encrypt', 'kms:Decrypt'],
      Resource: { 'Fn::GetAtt': ['TotpKey', 'Arn'] },
    });
    expect(
      statement.Condition.StringNotEquals['kms:EncryptionContext:userpool-id'],
    ).toEqual({ Ref: POOL });
  });
  it('retries a failed send twice, then parks it in the DLQ before its idempotency record expires', () => {
    // Prepare
    const template = packaged.template();
    const ttlAccepted = (seconds: number) =>
      smsSettingsSchema.safeParse({ idempotencyTtlSeconds: seconds }).success;

    // Act
    const findings = asyncInvokeFindings(template, SENDER, SENDER_ASYNC);

    // Assess
    expect(findings).toEqual([]);
    // The TTL's floor is the event age: no shorter TTL is accepted.
    const age = SENDER_ASYNC.maximumEventAgeSeconds;
    expect(ttlAccepted(age - 1)).toBe(false);
    expect(ttlAccepted(age)).toBe(true);
  });

  it('seals and opens TOTP secrets only for a user of a pool of this region', () => {
    // Prepare
    const template = packaged.template();

    // Act
    const findings = totpKeyContextFindings(template, NEW_POOL_SCOPE);

    // Assess
    expect(findings).toEqual([]);
    const sealers = policyStatements(template).filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        [statement.Action].flat().includes('kms:Encrypt'),
    );
    expect(sealers.map(({ statement }) => statement.Sid)).toEqual([
      'CreateSealsAndOpensSecrets',
      'OperatorsSealSecrets',
    ]);
  });

  it("answers every synchronous trigger within Cognito's 5 s, an auth challenge within 3 s", () => {
    // Prepare
    const template = packaged.template();

    // Act
    const sync = synchronousTriggerFunctions(template, POOL);
    const findings = [
      ...timeoutFindings(
        template,
        AUTH_CHALLENGE_FUNCTIONS,
        AUTH_CHALLENGE_SECONDS,
      ),
      ...timeoutFindings(template, sync, COGNITO_WAIT_SECONDS - 1),
    ];

    // Assess
    expect(findings).toEqual([]);
    expect(sync.sort()).toEqual([
      'CreateAuthChallengeLambdaFunction',
      'CustomMessageLambdaFunction',
      'DefineAuthChallengeLambdaFunction',
      'PreSignUpLambdaFunction',
      'VerifyAuthChallengeResponseLambdaFunction',
    ]);
  });
});

describe('deployment, a loosened setting fails a test', () => {
  it('finds the sender retried more, for longer, to no DLQ', () => {
    // Prepare
    const template = structuredClone(packaged.template());
    expect(settingFindings(template)).toEqual([]);
    const config = template.Resources.CustomSmsSenderLambdaEvConf.Properties;

    // Act
    config.MaximumRetryAttempts = 3;
    config.MaximumEventAgeInSeconds = 7200;
    delete config.DestinationConfig;

    // Assess
    expect(settingFindings(template)).toEqual([
      'CustomSmsSenderLambdaEvConf: MaximumRetryAttempts 3, not 2',
      'CustomSmsSenderLambdaEvConf: MaximumEventAgeInSeconds 7200, not 3600',
      'CustomSmsSenderLambdaEvConf: failed events do not go to SenderDeadLetterQueue.Arn',
    ]);
  });

  it('finds the TOTP key used without a sub, or sealing for any pool', () => {
    // Prepare
    const template = structuredClone(packaged.template());
    const statements =
      template.Resources.TotpKey.Properties.KeyPolicy.Statement;
    const bySid = (sid: string) =>
      statements.find((s: { Sid: string }) => s.Sid === sid);

    // Act
    delete bySid('VerifyOpensSecrets').Condition.Null;
    bySid('CreateSealsAndOpensSecrets').Condition.StringLike[
      'kms:EncryptionContext:userpool-id'
    ] = '*';

    // Assess
    expect(settingFindings(template)).toEqual([
      `TotpKey (key CreateSealsAndOpensSecrets): kms:Encrypt, kms:Decrypt not bound to ${JSON.stringify(NEW_POOL_SCOPE)}`,
      'TotpKey (key VerifyOpensSecrets): kms:Decrypt without a sub',
    ]);
  });

  it("finds a synchronous trigger that may outlast Cognito's wait", () => {
    // Prepare
    const template = structuredClone(packaged.template());
    const timeoutOf = (fn: string) => template.Resources[fn].Properties;

    // Act
    timeoutOf('VerifyAuthChallengeResponseLambdaFunction').Timeout = 4;
    timeoutOf('PreSignUpLambdaFunction').Timeout = 6;

    // Assess
    expect(settingFindings(template)).toEqual([
      'VerifyAuthChallengeResponseLambdaFunction: Timeout 4, above 3',
      'PreSignUpLambdaFunction: Timeout 6, above 4',
    ]);
  });
});

describe('deployment, a widened permission fails a test', () => {
  const roleStatements = (template: Template) =>
    template.Resources.CustomSmsSenderRole.Properties.Policies[0].PolicyDocument
      .Statement;

  it.each([
    [
      'a wildcard action',
      {
        Effect: 'Allow',
        Action: 'dynamodb:*',
        Resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] },
      },
    ],
    [
      'a `*` resource',
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' },
    ],
    [
      'a NotAction',
      {
        Effect: 'Allow',
        NotAction: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] },
      },
    ],
  ])('finds %s added to the sender role', (_name, widened) => {
    // Prepare
    const template = structuredClone(packaged.template());
    expect(wildcardActionFindings(template)).toEqual([]);
    expect(wildcardResourceFindings(template)).toEqual([]);

    // Act
    roleStatements(template).push(widened);

    // Assess
    const findings = [
      ...wildcardActionFindings(template),
      ...wildcardResourceFindings(template),
    ];
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^CustomSmsSenderRole \(identity\)/);
  });

  it('finds a decrypt whose encryption-context condition was dropped', () => {
    // Prepare
    const template = structuredClone(packaged.template());
    const statements =
      template.Resources.CodeKey.Properties.KeyPolicy.Statement;
    const decrypt = statements.find(
      (s: { Sid: string }) => s.Sid === 'SenderDecryptsCodes',
    );

    // Act
    delete decrypt.Condition;

    // Assess
    expect(codeKeyDecryptFindings(template)).toEqual([
      'CodeKey (key SenderDecryptsCodes): kms:Decrypt without userpool-id',
    ]);
  });

  it('finds a Cognito permission without the pool as SourceArn', () => {
    // Prepare
    const template = structuredClone(packaged.template());
    const id = Object.keys(template.Resources).find(
      (key) => template.Resources[key].Type === 'AWS::Lambda::Permission',
    ) as string;
    const permission = template.Resources[id];

    // Act
    delete permission.Properties.SourceArn;

    // Assess
    expect(cognitoPermissionFindings(template, POOL)).toEqual([
      `${id}: SourceArn is not ${POOL}.Arn`,
    ]);
  });

  it('finds an SMS role trust without its external id', () => {
    // Prepare
    const template = structuredClone(packaged.template());
    const role = template.Resources.CognitoSmsRole.Properties;

    // Act
    delete role.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals[
      'sts:ExternalId'
    ];

    // Assess
    expect(cognitoTrustFindings(template)).toEqual([
      'CognitoSmsRole: no sts:ExternalId',
    ]);
  });

  it('finds an Errors alarm that counts refusals, and a query across stages', () => {
    // Prepare
    const template = structuredClone(packaged.template());
    const errors = template.Resources.PreSignUpErrorsAlarm.Properties;
    const failed = template.Resources.TriggerFailedAlarm.Properties;

    // Act
    errors.Metrics = errors.Metrics.filter(
      (query: { Id: string }) => query.Id !== 'refused',
    );
    failed.Metrics[0].Expression =
      'SELECT SUM(TriggerFailed) FROM CognitoTriggerSuite';

    // Assess
    expect(alarmNoiseFindings(template, ['PreSignUpLambdaFunction'])).toEqual([
      'PreSignUpErrorsAlarm: counts refusals as errors',
      "TriggerFailedAlarm: reads every stage's metrics",
    ]);
  });

  it('finds a TOTP key any role could open, and a code key open to grants', () => {
    // Prepare
    const template = structuredClone(packaged.template());
    const totp = template.Resources.TotpKey.Properties.KeyPolicy.Statement;
    const code = template.Resources.CodeKey.Properties.KeyPolicy.Statement;

    // Act
    totp.find((s: { Sid: string }) => s.Sid === 'OperatorsSealSecrets').Action =
      ['kms:Encrypt', 'kms:Decrypt'];
    template.Resources.CodeKey.Properties.KeyPolicy.Statement = code.filter(
      (s: { Sid: string }) => s.Sid !== 'NoDecryptingGrants',
    );

    // Assess
    expect([
      ...codeKeyDecryptFindings(template, 'TotpKey', [
        'CreateAuthChallengeRole',
        'VerifyAuthChallengeResponseRole',
      ]),
      ...decryptingGrantFindings(template),
    ]).toEqual([
      'TotpKey (key OperatorsSealSecrets): decrypt by another principal',
      'CodeKey: grants that decrypt are not refused',
    ]);
  });

  it('finds a dead-letter queue left unencrypted and unwatched', () => {
    // Prepare
    const template = structuredClone(packaged.template());
    const queue = template.Resources.SenderDeadLetterQueue.Properties;

    // Act
    delete queue.SqsManagedSseEnabled;
    delete template.Resources.SenderDeadLetterQueueAlarm;

    // Assess
    expect(deadLetterFindings(template)).toEqual([
      'SenderDeadLetterQueue: not encrypted',
      'SenderDeadLetterQueue: no alarm on messages',
    ]);
  });
});
