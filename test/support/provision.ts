import path from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { readCfnYaml } from './cfn-yaml';

/**
 * Creates on a local endpoint (moto) every resource the functions need, from
 * the same `infra/` files that `serverless.yml` deploys, and resolves the
 * functions' environment exactly as `serverless.yml` declares it.
 */

export const ROOT = path.resolve(__dirname, '..', '..');
export const LOCAL_STAGE = 'local';
export const LOCAL_REGION = 'eu-central-1';
export const LOCAL_ACCOUNT = '123456789012';

type Json = unknown;
interface CfnResource {
  Type: string;
  Properties?: Record<string, Json>;
}

interface ServerlessConfig {
  service: string;
  params?: { default?: Record<string, Json> };
  provider: { environment?: Record<string, Json> };
  functions: Json;
  resources: Json;
}

export interface ProvisionOptions {
  endpoint: string;
  region?: string;
  stage?: string;
  /** Values for `${param:...}` references. */
  params?: Record<string, string>;
}

export interface ProvisionResult {
  /** The functions' environment, as KEY=VALUE pairs. */
  env: Record<string, string>;
  /** Logical id → physical name or ARN of what was created. */
  resources: Record<string, { ref: string; arn: string }>;
  /** Environment keys whose value references something not provisioned. */
  unresolved: string[];
}

function readFileRef(value: Json): Json {
  const match =
    typeof value === 'string' ? /^\$\{file\(([^)]+)\)\}$/.exec(value) : null;
  return match?.[1] ? readCfnYaml(path.join(ROOT, match[1])) : value;
}

/** Reads serverless.yml with its `${file(...)}` partials expanded. */
export function readServerlessConfig(): {
  service: string;
  paramDefaults: Record<string, Json>;
  environment: Record<string, Json>;
  functions: Record<string, { environment?: Record<string, Json> }>;
  resources: Record<string, CfnResource>;
} {
  const config = readCfnYaml(
    path.join(ROOT, 'serverless.yml'),
  ) as ServerlessConfig;
  const listOf = (value: Json): Json[] =>
    Array.isArray(value) ? value.map(readFileRef) : [readFileRef(value)];
  const functions = Object.assign({}, ...listOf(config.functions));
  const resources: Record<string, CfnResource> = {};
  for (const part of listOf(config.resources)) {
    Object.assign(
      resources,
      (part as { Resources?: Record<string, CfnResource> }).Resources ?? {},
    );
  }
  return {
    service: config.service,
    paramDefaults: config.params?.default ?? {},
    environment: config.provider.environment ?? {},
    functions,
    resources,
  };
}

function seedFor(logicalId: string): number {
  let hash = 0;
  for (const char of logicalId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash;
}

function substitute(
  text: string,
  vars: Record<string, string>,
  params: Record<string, string>,
): string | undefined {
  let unresolved = false;
  const out = text.replace(/\$\{([^}]+)\}/g, (_all, expression: string) => {
    const [reference, fallback] = expression.split(/,\s*/, 2);
    const name = (reference ?? '').trim();
    if (name in vars) return vars[name] as string;
    const param = /^param:(\w+)$/.exec(name)?.[1];
    if (param && param in params) return params[param] as string;
    if (fallback !== undefined) return fallback.replace(/^['"]|['"]$/g, '');
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : out;
}

/**
 * Provisions the local stack and returns the functions' environment.
 *
 * @param options - the endpoint (moto), region and stage
 */
export async function provisionLocalStack(
  options: ProvisionOptions,
): Promise<ProvisionResult> {
  const region = options.region ?? LOCAL_REGION;
  const stage = options.stage ?? LOCAL_STAGE;
  const config = readServerlessConfig();
  const stackName = `${config.service}-${stage}`;
  const vars: Record<string, string> = {
    'sls:stage': stage,
    'self:service': config.service,
    'self:provider.stage': stage,
    'AWS::StackName': stackName,
    'AWS::Region': region,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  // Stage parameters: serverless.yml's params.default, then the caller's.
  const params: Record<string, string> = {};
  const intrinsicParams: Record<string, Json> = {};
  for (const [name, value] of Object.entries(config.paramDefaults)) {
    if (value !== null && typeof value === 'object') {
      intrinsicParams[name] = value;
      continue;
    }
    const text =
      typeof value === 'string' ? substitute(value, vars, {}) : String(value);
    if (text !== undefined) params[name] = text;
  }
  Object.assign(params, options.params ?? {});
  const clientConfig = {
    region,
    endpoint: options.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const kms = new KMSClient(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  const created: ProvisionResult['resources'] = {};

  const ids = Object.keys(config.resources).sort();
  for (const logicalId of ids) {
    const resource = config.resources[logicalId] as CfnResource;
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::KMS::Key') {
      // moto draws key ids from its seeded generator: one seed per logical
      // id makes every key's id (and, with the launcher, its material)
      // the same on every fresh local stack.
      await fetch(`${options.endpoint}/moto-api/seed?a=${seedFor(logicalId)}`, {
        method: 'POST',
      });
      const out = await kms.send(
        new CreateKeyCommand({
          Description: String(props.Description ?? logicalId),
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeySpec: 'SYMMETRIC_DEFAULT',
        }),
      );
      const arn = out.KeyMetadata?.Arn ?? '';
      created[logicalId] = { ref: out.KeyMetadata?.KeyId ?? '', arn };
    } else if (resource.Type === 'AWS::DynamoDB::Table') {
      const nameValue = props.TableName as Json;
      const tableName =
        typeof nameValue === 'string'
          ? substitute(nameValue, vars, params)
          : substitute(
              String((nameValue as { 'Fn::Sub'?: string })['Fn::Sub'] ?? ''),
              vars,
              params,
            );
      if (!tableName)
        throw new Error(`cannot resolve TableName of ${logicalId}`);
      const input = {
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: props.AttributeDefinitions,
        KeySchema: props.KeySchema,
        GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
      } as CreateTableCommandInput;
      try {
        await dynamodb.send(new CreateTableCommand(input));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      const ttl = props.TimeToLiveSpecification as
        | { AttributeName: string; Enabled: boolean }
        | undefined;
      if (ttl?.Enabled) {
        await dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName,
            TimeToLiveSpecification: {
              AttributeName: ttl.AttributeName,
              Enabled: true,
            },
          }),
        );
      }
      created[logicalId] = {
        ref: tableName,
        arn: `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT}:table/${tableName}`,
      };
    }
  }
  kms.destroy();
  dynamodb.destroy();

  const resolve = (value: Json): string | undefined => {
    const param =
      typeof value === 'string'
        ? /^\$\{param:(\w+)\}$/.exec(value)?.[1]
        : undefined;
    if (
      param &&
      param in intrinsicParams &&
      !(param in (options.params ?? {}))
    ) {
      return resolve(intrinsicParams[param]);
    }
    if (typeof value === 'string') return substitute(value, vars, params);
    if (typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
    const object = value as Record<string, Json>;
    if (typeof object.Ref === 'string') return created[object.Ref]?.ref;
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn') {
      return created[String(getAtt[0])]?.arn;
    }
    if (typeof object['Fn::Sub'] === 'string') {
      return substitute(object['Fn::Sub'], vars, params);
    }
    return undefined;
  };

  const env: Record<string, string> = {};
  const unresolved: string[] = [];
  const declared: Record<string, Json> = { ...config.environment };
  for (const fn of Object.values(config.functions)) {
    Object.assign(declared, fn.environment ?? {});
  }
  for (const [key, value] of Object.entries(declared)) {
    const resolved = resolve(value);
    if (resolved === undefined) unresolved.push(key);
    else env[key] = resolved;
  }
  return { env, resources: created, unresolved };
}
