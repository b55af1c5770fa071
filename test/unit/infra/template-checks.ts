import { policyStatements, refersTo, type Template } from './template-walk';

/**
 * Checks of the packaged template beyond IAM actions and resources: Lambda
 * permissions, the SMS role's trust, state tables, the dead-letter queue and
 * its alarm. Each returns findings (empty when the template complies).
 */

const COGNITO = 'cognito-idp.amazonaws.com';

function resourcesOfType(
  template: Template,
  type: string,
): Array<[string, Template['Resources'][string]]> {
  return Object.entries(template.Resources).filter(
    ([, resource]) => resource.Type === type,
  );
}

/** Lambda permissions for Cognito that do not name `pool` as SourceArn. */
export function cognitoPermissionFindings(
  template: Template,
  pool: string,
): string[] {
  const findings: string[] = [];
  const permissions = resourcesOfType(template, 'AWS::Lambda::Permission');
  for (const [id, permission] of permissions) {
    const props = permission.Properties ?? {};
    if (props.Principal !== COGNITO) continue;
    const sourceArn = props.SourceArn;
    const isPoolArn =
      refersTo(sourceArn, pool) && sourceArn['Fn::GetAtt']?.[1] === 'Arn';
    if (!isPoolArn) findings.push(`${id}: SourceArn is not ${pool}.Arn`);
  }
  return findings;
}

/**
 * Roles Cognito may assume that lack one of the three trust conditions:
 * StringEquals sts:ExternalId, StringEquals aws:SourceAccount, ArnLike
 * aws:SourceArn on a user pool ARN.
 */
export function cognitoTrustFindings(template: Template): string[] {
  const findings: string[] = [];
  for (const { resource, kind, statement } of policyStatements(template)) {
    if (kind !== 'trust' || statement.Effect !== 'Allow') continue;
    const services = [statement.Principal?.Service].flat();
    if (!services.includes(COGNITO)) continue;
    const condition = statement.Condition ?? {};
    if (condition.StringEquals?.['sts:ExternalId'] === undefined) {
      findings.push(`${resource}: no sts:ExternalId`);
    }
    if (condition.StringEquals?.['aws:SourceAccount'] === undefined) {
      findings.push(`${resource}: no aws:SourceAccount`);
    }
    const sourceArn = JSON.stringify(condition.ArnLike?.['aws:SourceArn']);
    if (!sourceArn?.includes(':cognito-idp:')) {
      findings.push(`${resource}: no aws:SourceArn on a user pool`);
    }
  }
  return findings;
}

/** Tables that are not on-demand with TTL, PITR and SSE. */
export function tableFindings(template: Template): string[] {
  const findings: string[] = [];
  for (const [id, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
    const props = table.Properties ?? {};
    if (props.BillingMode !== 'PAY_PER_REQUEST') {
      findings.push(`${id}: not on-demand`);
    }
    if (props.TimeToLiveSpecification?.Enabled !== true) {
      findings.push(`${id}: no TTL`);
    }
    const pitr = props.PointInTimeRecoverySpecification;
    if (pitr?.PointInTimeRecoveryEnabled !== true) {
      findings.push(`${id}: no point-in-time recovery`);
    }
    if (props.SSESpecification?.SSEEnabled !== true) {
      findings.push(`${id}: no SSE with KMS`);
    }
  }
  return findings;
}

/** Whether the queue is encrypted at rest and alarms on each message sent to it. */
export function deadLetterFindings(
  template: Template,
  queue = 'SenderDeadLetterQueue',
): string[] {
  const resource = template.Resources[queue];
  if (resource?.Type !== 'AWS::SQS::Queue') return [`${queue}: missing`];
  const findings: string[] = [];
  const props = resource.Properties ?? {};
  if (props.SqsManagedSseEnabled !== true && !props.KmsMasterKeyId) {
    findings.push(`${queue}: not encrypted`);
  }
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(
    ([, alarm]) =>
      alarm.Properties?.Namespace === 'AWS/SQS' &&
      alarm.Properties?.MetricName === 'NumberOfMessagesSent' &&
      alarm.Properties?.Statistic === 'Sum' &&
      (alarm.Properties?.Dimensions ?? []).some(
        (dimension: { Name: string; Value: unknown }) =>
          dimension.Name === 'QueueName' && refersTo(dimension.Value, queue),
      ),
  );
  if (alarms.length === 0) findings.push(`${queue}: no alarm on messages`);
  return findings;
}

/** The Lambda metrics an alarm reads: its own, or its metric math inputs. */
function lambdaMetricsOf(
  alarm: Record<string, any>,
): Array<{ name: string; fn: unknown }> {
  const props = alarm.Properties ?? {};
  const own =
    props.Namespace === 'AWS/Lambda'
      ? [{ name: props.MetricName, fn: props.Dimensions?.[0]?.Value }]
      : [];
  const math = (props.Metrics ?? [])
    .map((query: any) => query.MetricStat?.Metric)
    .filter((metric: any) => metric?.Namespace === 'AWS/Lambda')
    .map((metric: any) => ({
      name: metric.MetricName,
      fn: metric.Dimensions?.[0]?.Value,
    }));
  return [...own, ...math];
}

/** Functions without an Errors and a Throttles alarm, or log retention. */
export function functionOperationFindings(template: Template): string[] {
  const findings: string[] = [];
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  for (const [id] of functions) {
    for (const metric of ['Errors', 'Throttles']) {
      const hasAlarm = alarms.some(([, alarm]) =>
        lambdaMetricsOf(alarm).some(
          (read) => read.name === metric && refersTo(read.fn, id),
        ),
      );
      if (!hasAlarm && !id.startsWith('CustomDashresource')) {
        findings.push(`${id}: no ${metric} alarm`);
      }
    }
  }
  for (const [id, group] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
    if (!group.Properties?.RetentionInDays) {
      findings.push(`${id}: no retention`);
    }
  }
  return findings;
}

/**
 * Alarms that could be set off by anyone: a synchronous trigger's Lambda
 * Errors read without subtracting the refusals its boundary counts, and
 * suite metrics read without this stage's filter.
 */
export function alarmNoiseFindings(
  template: Template,
  syncFunctions: readonly string[],
): string[] {
  const findings: string[] = [];
  for (const [id, alarm] of resourcesOfType(
    template,
    'AWS::CloudWatch::Alarm',
  )) {
    const props = alarm.Properties ?? {};
    const reads = lambdaMetricsOf(alarm);
    const readsSyncErrors = reads.some(
      (read) =>
        read.name === 'Errors' &&
        syncFunctions.some((fn) => refersTo(read.fn, fn)),
    );
    const subtractsRefusals = (props.Metrics ?? []).some(
      (query: any) =>
        query.MetricStat?.Metric?.MetricName === 'RequestRefused' &&
        ['service', 'stage', 'trigger'].every((name) =>
          query.MetricStat.Metric.Dimensions?.some(
            (dimension: any) => dimension.Name === name,
          ),
        ),
    );
    if (readsSyncErrors && !subtractsRefusals)
      findings.push(`${id}: counts refusals as errors`);
    for (const query of props.Metrics ?? []) {
      const expression = String(query.Expression ?? '');
      if (
        /FROM CognitoTriggerSuite/.test(expression) &&
        !/stage = /.test(expression)
      )
        findings.push(`${id}: reads every stage's metrics`);
    }
  }
  return findings;
}

/** A CloudFormation stack policy statement (infra/stack-policy.yml). */
export interface StackPolicyStatement {
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: { StringEquals?: { ResourceType?: string | string[] } };
}

const globMatches = (glob: string, value: string): boolean =>
  new RegExp(
    `^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
  ).test(value);

/**
 * What a stack policy decides for one update action on one resource, as
 * CloudFormation evaluates it: an explicit Deny wins, then an Allow; what
 * no statement allows is denied. It models what infra/stack-policy.yml
 * uses (Action and Resource globs, `StringEquals` on `ResourceType`); a
 * statement with anything else throws, so the check cannot silently
 * misread a policy it does not understand.
 */
export function stackPolicyDecision(
  policy: readonly StackPolicyStatement[],
  resource: { logicalId: string; type: string },
  action: string,
): 'allow' | 'deny' {
  for (const statement of policy) {
    const known = ['Effect', 'Principal', 'Action', 'Resource', 'Condition'];
    const conditions = Object.keys(statement.Condition ?? {});
    const unknown = [
      ...Object.keys(statement).filter((key) => !known.includes(key)),
      ...conditions.filter((key) => key !== 'StringEquals'),
      ...Object.keys(statement.Condition?.StringEquals ?? {}).filter(
        (key) => key !== 'ResourceType',
      ),
    ];
    if (unknown.length > 0 || statement.Principal !== '*') {
      throw new Error(
        `stack policy statement not modelled: ${unknown.join(', ') || 'Principal is not "*"'}`,
      );
    }
  }
  const applies = (statement: StackPolicyStatement) =>
    [statement.Action].flat().some((glob) => globMatches(glob, action)) &&
    [statement.Resource]
      .flat()
      .some((glob) =>
        globMatches(glob, `LogicalResourceId/${resource.logicalId}`),
      ) &&
    (statement.Condition?.StringEquals === undefined ||
      [statement.Condition.StringEquals.ResourceType]
        .flat()
        .includes(resource.type));
  const matching = policy.filter(applies);
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'deny';
  return matching.some((statement) => statement.Effect === 'Allow')
    ? 'allow'
    : 'deny';
}

/**
 * Resources that cannot be rebuilt: the pool, its clients, and what the
 * template keeps on replacement (`UpdateReplacePolicy: Retain`; Lambda
 * versions are only kept on deletion, and a deployment removes them).
 */
const IRREPLACEABLE_TYPES = [
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
];

/**
 * Resources of the template the stack policy leaves open to replacement or
 * removal though they cannot be rebuilt, and others it blocks from updates.
 */
export function stackPolicyFindings(
  template: Template,
  policy: readonly StackPolicyStatement[],
): string[] {
  const findings: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const target = { logicalId, type: String(resource.Type) };
    const irreplaceable =
      resource.UpdateReplacePolicy === 'Retain' ||
      IRREPLACEABLE_TYPES.includes(target.type);
    for (const action of ['Update:Replace', 'Update:Delete']) {
      const decision = stackPolicyDecision(policy, target, action);
      if (irreplaceable && decision === 'allow')
        findings.push(`${logicalId}: ${action} allowed`);
    }
    if (stackPolicyDecision(policy, target, 'Update:Modify') === 'deny')
      findings.push(`${logicalId}: Update:Modify denied`);
    if (
      !irreplaceable &&
      stackPolicyDecision(policy, target, 'Update:Replace') === 'deny'
    )
      findings.push(`${logicalId}: Update:Replace denied`);
  }
  return findings;
}

/** How Lambda should handle a function's asynchronous invocations. */
export interface AsyncInvokeSettings {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  /** The SQS queue a failed event goes to. */
  readonly onFailureQueue: string;
}

/**
 * Differences between `expected` and the function's
 * `AWS::Lambda::EventInvokeConfig` (exactly one, on `$LATEST`, which is what
 * Cognito invokes), and a failure queue the function's role may not send to.
 */
export function asyncInvokeFindings(
  template: Template,
  fn: string,
  expected: AsyncInvokeSettings,
): string[] {
  const configs = resourcesOfType(
    template,
    'AWS::Lambda::EventInvokeConfig',
  ).filter(([, config]) => refersTo(config.Properties?.FunctionName, fn));
  const [only, ...more] = configs;
  if (only === undefined || more.length > 0) {
    return [`${fn}: ${configs.length} event invoke configs`];
  }
  const [id, config] = only;
  const props = config.Properties ?? {};
  const findings: string[] = [];
  if (props.Qualifier !== '$LATEST') {
    findings.push(`${id}: Qualifier ${props.Qualifier}, not $LATEST`);
  }
  if (props.MaximumRetryAttempts !== expected.maximumRetryAttempts) {
    findings.push(
      `${id}: MaximumRetryAttempts ${props.MaximumRetryAttempts}, not ${expected.maximumRetryAttempts}`,
    );
  }
  if (props.MaximumEventAgeInSeconds !== expected.maximumEventAgeSeconds) {
    findings.push(
      `${id}: MaximumEventAgeInSeconds ${props.MaximumEventAgeInSeconds}, not ${expected.maximumEventAgeSeconds}`,
    );
  }
  const queue = expected.onFailureQueue;
  const destination = props.DestinationConfig?.OnFailure?.Destination;
  if (
    !(refersTo(destination, queue) && destination['Fn::GetAtt']?.[1] === 'Arn')
  ) {
    findings.push(`${id}: failed events do not go to ${queue}.Arn`);
  }
  const role = template.Resources[fn]?.Properties?.Role;
  const roleId = role?.['Fn::GetAtt']?.[0] ?? role?.Ref;
  const maySend = policyStatements(template).some(
    ({ resource, kind, statement }) =>
      resource === roleId &&
      kind === 'identity' &&
      statement.Effect === 'Allow' &&
      [statement.Action].flat().includes('sqs:SendMessage') &&
      [statement.Resource].flat().some((r) => refersTo(r, queue)),
  );
  if (!maySend) findings.push(`${fn}: its role may not send to ${queue}`);
  return findings;
}

/**
 * The functions of the pool's synchronous triggers: every trigger in its
 * LambdaConfig but the custom senders, which Cognito invokes asynchronously.
 */
export function synchronousTriggerFunctions(
  template: Template,
  pool: string,
): string[] {
  const lambdaConfig = template.Resources[pool]?.Properties?.LambdaConfig ?? {};
  const asynchronous = ['CustomSMSSender', 'CustomEmailSender', 'KMSKeyID'];
  return Object.entries(lambdaConfig)
    .filter(([trigger]) => !asynchronous.includes(trigger))
    .map(([, arn]: [string, any]) => String(arn?.['Fn::GetAtt']?.[0]));
}

/** Functions missing, or whose Timeout is not at most `maxSeconds`. */
export function timeoutFindings(
  template: Template,
  functions: readonly string[],
  maxSeconds: number,
): string[] {
  const findings: string[] = [];
  for (const fn of functions) {
    const resource = template.Resources[fn];
    if (resource?.Type !== 'AWS::Lambda::Function') {
      findings.push(`${fn}: missing`);
      continue;
    }
    const timeout = resource.Properties?.Timeout;
    if (typeof timeout !== 'number' || timeout > maxSeconds) {
      findings.push(`${fn}: Timeout ${timeout}, above ${maxSeconds}`);
    }
  }
  return findings;
}
