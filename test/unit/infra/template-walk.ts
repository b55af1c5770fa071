/**
 * Walks a packaged CloudFormation template and reports what breaks the
 * suite's least-privilege rules. Each check returns findings (empty when the
 * template complies) so a test can show both that the shipped template
 * passes and that a widened one fails.
 */

// Templates are untyped JSON: this module reads them defensively.
export type Template = { Resources: Record<string, any> } & Record<string, any>;
type Statement = Record<string, any>;

/** The kind of policy document a statement sits in. */
export type PolicyKind = 'identity' | 'trust' | 'key' | 'resource';

/** One statement with where it was found. */
export interface LocatedStatement {
  readonly resource: string;
  readonly kind: PolicyKind;
  readonly statement: Statement;
}

/**
 * Actions that may name `Resource: "*"` in an identity policy, and why.
 * sns:Publish to a phone number has no resource ARN; ListUserPools has no
 * resource-level permission (the existing-pool custom resource needs it).
 */
export const WILDCARD_RESOURCE_ALLOW_LIST: Readonly<Record<string, string>> = {
  'sns:Publish': 'SMS to a phone number has no resource ARN',
  'cognito-idp:ListUserPools': 'has no resource-level permission',
};

const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function statementsOf(document: unknown): Statement[] {
  const statement = (document as { Statement?: unknown } | undefined)
    ?.Statement;
  return asList(statement) as Statement[];
}

/** Every policy statement in the template, with its resource and kind. */
export function policyStatements(template: Template): LocatedStatement[] {
  const found: LocatedStatement[] = [];
  const add = (resource: string, kind: PolicyKind, document: unknown) => {
    for (const statement of statementsOf(document)) {
      found.push({ resource, kind, statement });
    }
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::IAM::Role':
        add(id, 'trust', props.AssumeRolePolicyDocument);
        for (const policy of asList(props.Policies)) {
          add(id, 'identity', (policy as Statement).PolicyDocument);
        }
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        add(id, 'identity', props.PolicyDocument);
        break;
      case 'AWS::KMS::Key':
        add(id, 'key', props.KeyPolicy);
        break;
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
      case 'AWS::S3::BucketPolicy':
        add(id, 'resource', props.PolicyDocument);
        break;
    }
  }
  return found;
}

const where = (located: LocatedStatement): string =>
  `${located.resource} (${located.kind}${located.statement.Sid ? ` ${located.statement.Sid}` : ''})`;

/**
 * Allow statements whose actions contain a wildcard, or that use NotAction.
 * A wildcard in a Deny (the deployment bucket's TLS-only policy) narrows
 * access and is not reported.
 */
export function wildcardActionFindings(template: Template): string[] {
  const findings: string[] = [];
  for (const located of policyStatements(template)) {
    const { statement } = located;
    if (statement.Effect !== 'Allow') continue;
    if (statement.NotAction !== undefined) {
      findings.push(`${where(located)}: NotAction`);
    }
    for (const action of asList(statement.Action)) {
      if (typeof action !== 'string' || action.includes('*')) {
        findings.push(`${where(located)}: action ${String(action)}`);
      }
    }
  }
  return findings;
}

/** An ARN whose account field is `*` (e.g. `arn:aws:iam::*:role/*`). */
const ANY_ACCOUNT = /^arn:[^:]*:[^:]*:[^:]*:\*:/;

function arnText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const sub = (resource as { 'Fn::Sub'?: unknown } | null)?.['Fn::Sub'];
  const text = Array.isArray(sub) ? sub[0] : sub;
  // ${AWS::Partition} and friends contain colons: stand them in first.
  return typeof text === 'string' ? text.replace(/\$\{[^}]*\}/g, 'x') : '';
}

function hasWildcardResource(statement: Statement): boolean {
  return asList(statement.Resource).some((resource) => resource === '*');
}

/**
 * Allow statements of identity policies with `Resource: "*"` whose actions
 * are not all on {@link WILDCARD_RESOURCE_ALLOW_LIST}, resources in any
 * account (`arn:...:*:...`), and any Allow with NotResource.
 * In a key policy `*` means the key itself, so key policies are exempt.
 */
export function wildcardResourceFindings(template: Template): string[] {
  const findings: string[] = [];
  for (const located of policyStatements(template)) {
    const { statement, kind } = located;
    if (statement.Effect !== 'Allow') continue;
    if (statement.NotResource !== undefined) {
      findings.push(`${where(located)}: NotResource`);
    }
    if (kind !== 'identity') continue;
    for (const resource of asList(statement.Resource)) {
      if (ANY_ACCOUNT.test(arnText(resource))) {
        findings.push(`${where(located)}: resource in any account`);
      }
    }
    if (!hasWildcardResource(statement)) continue;
    for (const action of asList(statement.Action)) {
      if (!(String(action) in WILDCARD_RESOURCE_ALLOW_LIST)) {
        findings.push(`${where(located)}: ${String(action)} on *`);
      }
    }
  }
  return findings;
}

/** Whether a reference (Ref, GetAtt, literal) points at `logicalId`. */
export function refersTo(value: unknown, logicalId: string): boolean {
  if (value === null || typeof value !== 'object') return false;
  const object = value as Record<string, unknown>;
  if (object.Ref === logicalId) return true;
  const getAtt = object['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[0] === logicalId;
}

function conditionValue(statement: Statement, key: string): unknown[] {
  const values: unknown[] = [];
  for (const operator of ['StringEquals', 'StringLike']) {
    const block = statement.Condition?.[operator];
    if (block && key in block) values.push(block[key]);
  }
  return values;
}

/**
 * Allow statements granting kms:Decrypt on the code key (in its key policy
 * or in an identity policy naming it) without a `userpool-id`
 * encryption-context condition; key-policy principals other than
 * `senderRole` (even the account root); and identity policies of
 * roles other than `senderRole` that grant it.
 */
export function codeKeyDecryptFindings(
  template: Template,
  codeKey = 'CodeKey',
  senderRole: string | readonly string[] = 'CustomSmsSenderRole',
): string[] {
  const roles = asList(senderRole);
  const isAllowed = (value: unknown) =>
    roles.some((r) => refersTo(value, String(r)));
  const findings: string[] = [];
  for (const located of policyStatements(template)) {
    const { statement } = located;
    if (statement.Effect !== 'Allow') continue;
    if (!asList(statement.Action).includes('kms:Decrypt')) continue;
    const onKey =
      located.kind === 'key'
        ? located.resource === codeKey
        : asList(statement.Resource).some((r) => refersTo(r, codeKey));
    if (!onKey) continue;
    const bound = conditionValue(
      statement,
      'kms:EncryptionContext:userpool-id',
    );
    if (bound.length === 0) {
      findings.push(`${where(located)}: kms:Decrypt without userpool-id`);
    }
    if (
      located.kind === 'identity' &&
      !roles.includes(String(located.resource))
    ) {
      findings.push(`${where(located)}: decrypt by another role`);
    }
    if (located.kind !== 'key') continue;
    for (const principal of asList(statement.Principal?.AWS)) {
      if (!isAllowed(principal)) {
        findings.push(`${where(located)}: decrypt by another principal`);
      }
    }
  }
  return findings;
}

/**
 * Whether a key policy refuses every grant that could decrypt or grant
 * again (a Deny on kms:CreateGrant for those kms:GrantOperations): without
 * it, any principal IAM allows kms:CreateGrant could grant itself Decrypt.
 */
export function decryptingGrantFindings(
  template: Template,
  key = 'CodeKey',
): string[] {
  const statements: any[] =
    template.Resources[key]?.Properties?.KeyPolicy?.Statement ?? [];
  const refuses = statements.some(
    (statement) =>
      statement.Effect === 'Deny' &&
      asList(statement.Action).includes('kms:CreateGrant') &&
      ['Decrypt', 'ReEncryptFrom', 'CreateGrant'].every((operation) =>
        asList(
          statement.Condition?.['ForAnyValue:StringEquals']?.[
            'kms:GrantOperations'
          ],
        ).includes(operation),
      ),
  );
  return refuses ? [] : [`${key}: grants that decrypt are not refused`];
}

/** Key actions that seal or open data (a wildcard is caught elsewhere). */
const KEY_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
];

/**
 * Allow statements that use the TOTP key (in its key policy or in an
 * identity policy naming it) without both encryption-context conditions
 * shared/totp/secret-box.ts relies on: `Null` on `kms:EncryptionContext:sub`
 * set to `"false"` (a call without a user is refused), and
 * `kms:EncryptionContext:userpool-id` matched to exactly `poolScope` (the
 * template's value: `${AWS::Region}_*` for a new pool, which
 * TotpPoolBinding narrows; the pool's id for an existing one).
 */
export function totpKeyContextFindings(
  template: Template,
  poolScope: unknown,
  key = 'TotpKey',
): string[] {
  const findings: string[] = [];
  for (const located of policyStatements(template)) {
    const { statement } = located;
    if (statement.Effect !== 'Allow') continue;
    const actions = asList(statement.Action).filter((action) =>
      KEY_USE_ACTIONS.includes(String(action)),
    );
    if (actions.length === 0) continue;
    const onKey =
      located.kind === 'key'
        ? located.resource === key
        : asList(statement.Resource).some((r) => refersTo(r, key));
    if (!onKey) continue;
    if (
      String(statement.Condition?.Null?.['kms:EncryptionContext:sub']) !==
      'false'
    ) {
      findings.push(`${where(located)}: ${actions.join(', ')} without a sub`);
    }
    const bound = conditionValue(
      statement,
      'kms:EncryptionContext:userpool-id',
    );
    const exact =
      bound.length === 1 &&
      JSON.stringify(bound[0]) === JSON.stringify(poolScope);
    if (!exact) {
      findings.push(
        `${where(located)}: ${actions.join(', ')} not bound to ${JSON.stringify(poolScope)}`,
      );
    }
  }
  return findings;
}
