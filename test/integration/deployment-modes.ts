import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordKey } from '../../shared/totp/record';
import { readCfnYaml } from '../support/cfn-yaml';
import { cfnLint, type PackagedStack, packageStack } from '../support/package';
import { ROOT } from '../support/provision';
import {
  type AsyncInvokeSettings,
  alarmNoiseFindings,
  asyncInvokeFindings,
  cognitoTrustFindings,
  deadLetterFindings,
  functionOperationFindings,
  type StackPolicyStatement,
  stackPolicyFindings,
  tableFindings,
  timeoutFindings,
} from '../unit/infra/template-checks';
import {
  codeKeyDecryptFindings,
  decryptingGrantFindings,
  type Template,
  wildcardActionFindings,
  wildcardResourceFindings,
} from '../unit/infra/template-walk';

/** Every reason the sender refuses with, each with an alarm of its own. */
const SMS_REFUSAL_REASONS = [
  'country_denied',
  'country_not_allowed',
  'line_type_not_allowed',
  'velocity_sms_per_phone',
  'velocity_sms_per_prefix',
  'velocity_sms_per_user',
  'no_origination_identity',
  'invalid_phone_number',
];

/** The text of every TypeScript file under the given project folders. */
function sourceText(folders: readonly string[]): string {
  return folders
    .flatMap((folder) =>
      readdirSync(path.join(ROOT, folder), {
        recursive: true,
        encoding: 'utf8',
      })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => readFileSync(path.join(ROOT, folder, file), 'utf8')),
    )
    .join('\n');
}

export const SENDER = 'CustomSmsSenderLambdaFunction';

/**
 * infra/functions/custom-sms-sender.yml: two retries, then the DLQ after an
 * hour, the least idempotencyTtlSeconds shared/sms/settings.ts accepts (an
 * expired record could be claimed again by a retry).
 */
export const SENDER_ASYNC: AsyncInvokeSettings = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 3600,
  onFailureQueue: 'SenderDeadLetterQueue',
};

/** Cognito waits 5 s in total for a synchronous trigger. */
export const COGNITO_WAIT_SECONDS = 5;
export const AUTH_CHALLENGE_SECONDS = 3;
export const AUTH_CHALLENGE_FUNCTIONS = [
  'DefineAuthChallengeLambdaFunction',
  'CreateAuthChallengeLambdaFunction',
  'VerifyAuthChallengeResponseLambdaFunction',
];

/** The synchronous triggers' functions: they refuse by throwing. */
const SYNC_FUNCTIONS = [
  'CustomMessageLambdaFunction',
  'DefineAuthChallengeLambdaFunction',
  'CreateAuthChallengeLambdaFunction',
  'VerifyAuthChallengeResponseLambdaFunction',
  'PreSignUpLambdaFunction',
];

/**
 * The two deployment modes, each packaged once per test file with the real
 * `osls package` (what `npm run package -- --stage <s> --param ...` runs),
 * and the checks both must pass. Between them the modes switch on every
 * optional resource: the alarm topic, End User Messaging with a protect
 * configuration, an existing alarm topic.
 */

export const EXISTING_POOL_ID = 'eu-central-1_AbCdEf123';
export const MODES = {
  new: ['--stage', 'ci', '--param', 'alarmEmail=ops@example.com'],
  existing: [
    '--stage',
    'ci',
    '--param',
    'poolMode=existing',
    '--param',
    'existingPoolName=shop-users',
    '--param',
    `existingPoolId=${EXISTING_POOL_ID}`,
    '--param',
    'smsTransport=end-user-messaging',
    '--param',
    'eumProtectConfiguration=true',
    '--param',
    'alarmTopicArn=arn:aws:sns:eu-central-1:123456789012:ops',
    '--param',
    'logRetentionDays=90',
    // The pool's own email setting, stated: no SES parameters needed, as
    // the stack does not change an existing pool's email.
    '--param',
    'emailSendingAccount=DEVELOPER',
  ],
} as const;
export type Mode = keyof typeof MODES;

export const POOL = 'CognitoUserPoolSuite';
export const TRIGGERS = [
  'CustomSMSSender',
  'CustomMessage',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'PreSignUp',
];

/** A packaged mode: its template and cfn-lint's verdict, after beforeAll. */
export interface PackagedMode {
  template(): Template;
  lint(): { status: number; output: string };
  resourcesOfType(type: string): Array<[string, Template['Resources'][string]]>;
  /** The packaged zip of a function (`<key>.zip`). */
  zipOf(key: string): string;
}

/** Packages `mode` once for the calling test file (in its beforeAll). */
export function usePackagedMode(mode: Mode): PackagedMode {
  let stack: PackagedStack | undefined;
  let lint: { status: number; output: string } | undefined;
  beforeAll(() => {
    stack = packageStack([...MODES[mode]]);
    lint = cfnLint(stack);
  }, 240_000);
  const template = () => stack?.template as Template;
  return {
    template,
    lint: () => lint ?? { status: -1, output: 'not packaged' },
    resourcesOfType: (type) =>
      Object.entries(template().Resources).filter(
        ([, resource]) => resource.Type === type,
      ),
    zipOf: (key) => path.join(stack?.dir ?? '(not packaged)', `${key}.zip`),
  };
}

/** The checks every mode must pass. */
export function describeCommonChecks(mode: Mode, packaged: PackagedMode): void {
  const templateOf = () => packaged.template();
  const resourcesOfType = (_mode: Mode, type: string) =>
    packaged.resourcesOfType(type);
  describe(`deployment, ${mode} pool, common checks`, () => {
    it('packages to a template cfn-lint passes without a finding', () => {
      // Prepare
      const lint = packaged.lint();

      // Act
      const { output, status } = lint;

      // Assess
      expect(output).toBe('');
      expect(status).toBe(0);
    });

    it('grants no wildcard action and `*` resources only where listed', () => {
      // Prepare
      const template = templateOf();

      // Act
      const findings = [
        ...wildcardActionFindings(template),
        ...wildcardResourceFindings(template),
      ];

      // Assess
      expect(findings).toEqual([]);
    });

    it("lets the TOTP functions read and write only their pool's records", () => {
      // Prepare: the pool id each mode's scope stands for
      const template = templateOf();
      const poolId =
        mode === 'existing' ? EXISTING_POOL_ID : 'eu-central-1_Xy12';
      const scopeOf = (part: any): string =>
        typeof part === 'string'
          ? part
          : part.Ref === 'ExistingPoolId'
            ? EXISTING_POOL_ID
            : part['Fn::Sub'].replace(/\$\{AWS::Region\}/, 'eu-central-1');

      // Act
      const patterns = [
        'DefineAuthChallengeRole',
        'CreateAuthChallengeRole',
        'VerifyAuthChallengeResponseRole',
      ].map((role) => {
        const [record] = template.Resources[role].Properties.Policies.flatMap(
          (policy: any) => policy.PolicyDocument.Statement,
        ).filter((s: any) => /TotpRecord$/.test(s.Sid));
        const [join] =
          record.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'];
        const glob = join['Fn::Join'][1].map(scopeOf).join('');
        return new RegExp(
          `^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
        );
      });

      // Assess
      for (const pattern of patterns) {
        expect(
          pattern.test(recordKey({ userPoolId: poolId, sub: 'u-1' })),
        ).toBe(true);
        expect(
          pattern.test(
            recordKey({ userPoolId: 'us-east-1_Other1', sub: 'u-1' }),
          ),
        ).toBe(false);
        expect(pattern.test('velocity#sms_per_phone#x#0')).toBe(false);
      }
    });

    it('lets only the sender decrypt codes, bound to the pool', () => {
      // Prepare
      const template = templateOf();

      // Act
      const findings = codeKeyDecryptFindings(template);

      // Assess
      expect(findings).toEqual([]);
      const keyPolicy = template.Resources.CodeKey.Properties.KeyPolicy;
      const decrypt = keyPolicy.Statement.filter(
        (statement: { Action: unknown }) =>
          [statement.Action].flat().includes('kms:Decrypt'),
      );
      expect(decrypt).toHaveLength(1);
      expect(template.Resources.CodeKey.Properties.EnableKeyRotation).toBe(
        true,
      );
    });

    it('lets only Create and Verify open TOTP secrets, and no grant decrypt codes', () => {
      // Prepare
      const template = templateOf();

      // Act
      const findings = [
        ...codeKeyDecryptFindings(template, 'TotpKey', [
          'CreateAuthChallengeRole',
          'VerifyAuthChallengeResponseRole',
        ]),
        ...decryptingGrantFindings(template, 'CodeKey'),
      ];

      // Assess
      expect(findings).toEqual([]);
      expect(template.Resources.TotpKey.DeletionPolicy).toBe('Retain');
      expect(template.Resources.TotpTable.DeletionPolicy).toBe('Retain');
    });

    it('raises no alarm anyone could cause, nor on another stage', () => {
      // Prepare
      const template = templateOf();

      // Act
      const findings = alarmNoiseFindings(template, SYNC_FUNCTIONS);

      // Assess
      expect(findings).toEqual([]);
    });

    it('refuses by stack policy to replace or remove what cannot be rebuilt', () => {
      // Prepare
      const template = templateOf();
      const policy = readCfnYaml(
        path.join(ROOT, 'infra/stack-policy.yml'),
      ) as StackPolicyStatement[];

      // Act
      const findings = stackPolicyFindings(template, policy);

      // Assess
      expect(findings).toEqual([]);
    });

    it("retries the sender's events twice within an hour, then dead-letters them; answers Cognito in time", () => {
      // Prepare
      const template = templateOf();

      // Act
      const findings = [
        ...asyncInvokeFindings(template, SENDER, SENDER_ASYNC),
        ...timeoutFindings(
          template,
          AUTH_CHALLENGE_FUNCTIONS,
          AUTH_CHALLENGE_SECONDS,
        ),
        // Whole seconds: under 5 is at most 4.
        ...timeoutFindings(template, SYNC_FUNCTIONS, COGNITO_WAIT_SECONDS - 1),
      ];

      // Assess
      expect(findings).toEqual([]);
    });

    it('keeps state in tables with TTL, PITR and SSE, and alarms the DLQ', () => {
      // Prepare
      const template = templateOf();

      // Act
      const findings = [
        ...tableFindings(template),
        ...deadLetterFindings(template),
        ...functionOperationFindings(template),
        ...cognitoTrustFindings(template),
      ];

      // Assess
      expect(findings).toEqual([]);
      expect(resourcesOfType(mode, 'AWS::DynamoDB::Table')).toHaveLength(2);
    });

    it('alarms on SMS failures, every refusal reason and TOTP lockouts, reading this stage only', () => {
      // Prepare
      const alarms = resourcesOfType(mode, 'AWS::CloudWatch::Alarm');

      // Act
      const queries = alarms
        .flatMap(([, alarm]) =>
          (alarm.Properties.Metrics ?? []).map(
            (metric: { Expression?: string }) => metric.Expression ?? '',
          ),
        )
        .filter((query: string) => query.includes('FROM CognitoTriggerSuite'));

      // Assess: the packaged stage, not one read back from the queries
      for (const query of queries) expect(query).toContain("stage = 'ci'");
      const has = (metric: string, reason?: string) =>
        queries.includes(
          `SELECT SUM(${metric}) FROM CognitoTriggerSuite WHERE stage = 'ci'${reason ? ` AND reason = '${reason}'` : ''}`,
        );
      expect(has('SmsFailed')).toBe(true);
      for (const reason of SMS_REFUSAL_REASONS)
        expect(has('SmsRefused', reason), reason).toBe(true);
      for (const metric of [
        'SmsOutcomeUnknown',
        'SmsClaimNotReleased',
        'TriggerFailed',
        'TemplateCatalogueInvalid',
        'TemplateRenderFailed',
        'CustomMessageDeclined',
        'TotpLockout',
        'TotpPendingUnreadable',
        'TotpRecoveryUnreadable',
      ])
        expect(has(metric), metric).toBe(true);
    });

    it('alarms only on metrics and reasons the code writes', () => {
      // Prepare: every metric name and reason literal in the functions' code
      const code = sourceText(['shared', 'functions']);
      const alarms = resourcesOfType(mode, 'AWS::CloudWatch::Alarm');
      const queries = alarms.flatMap(([, alarm]) =>
        (alarm.Properties.Metrics ?? []).map(
          (metric: { Expression?: string }) => metric.Expression ?? '',
        ),
      );

      // Act
      const read = queries.flatMap((query: string) => {
        const metric = /SUM\((\w+)\) FROM CognitoTriggerSuite/.exec(query)?.[1];
        const reason = /reason = '([^']+)'/.exec(query)?.[1];
        return metric ? [{ metric, reason }] : [];
      });

      // Assess
      expect(read.length).toBeGreaterThan(10);
      for (const { metric, reason } of read) {
        expect(code, metric).toMatch(
          new RegExp(`countMetric\\(\\s*(?:[^)]*\\? )?'${metric}'`),
        );
        if (reason)
          expect(code, reason).toContain(
            `'${reason.replace(/^velocity_/, '')}'`,
          );
      }
    });
  });
}
