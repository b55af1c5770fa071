import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';

/**
 * Reads the CloudFormation/Serverless YAML partials under `infra/` (with the
 * short intrinsic tags `!Ref`, `!GetAtt`, `!Sub`, ...) into their long JSON
 * form, so local provisioning uses the same definitions that deploy.
 */

const INTRINSICS: Array<[string, string, 'scalar' | 'seq' | 'map']> = [];
for (const name of [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'Base64',
  'GetAZs',
  'Condition',
]) {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  for (const kind of ['scalar', 'seq', 'map'] as const) {
    INTRINSICS.push([name, key, kind]);
  }
}

const customTags: Tags = INTRINSICS.map(([name, key, kind]) => ({
  tag: `!${name}`,
  collection: kind === 'scalar' ? undefined : kind,
  resolve: (value: unknown) => {
    const plain =
      value && typeof (value as { toJSON?: unknown }).toJSON === 'function'
        ? (value as { toJSON: () => unknown }).toJSON()
        : value;
    if (name === 'GetAtt' && typeof plain === 'string') {
      return { [key]: plain.split('.') };
    }
    return { [key]: plain };
  },
})) as unknown as Tags;

/**
 * Parses a YAML file that may use CloudFormation short tags.
 *
 * @param file - path of the YAML file
 */
export function readCfnYaml(file: string): unknown {
  return parse(readFileSync(file, 'utf8'), { customTags });
}
