/**
 * npm run --silent local:provision
 *
 * Creates every resource the functions need on the endpoint in
 * AWS_ENDPOINT_URL (region from AWS_REGION) and prints the functions'
 * environment as KEY=VALUE lines.
 */
import { useLocalCredentials } from '../test/support/local-env';
import { LOCAL_REGION, provisionLocalStack } from '../test/support/provision';

async function main(): Promise<void> {
  useLocalCredentials();
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    process.stderr.write(
      'AWS_ENDPOINT_URL is not set: point it at the local stack (npm run local:start prints it)\n',
    );
    process.exit(2);
  }
  const { env, unresolved } = await provisionLocalStack({
    endpoint,
    region: process.env.AWS_REGION ?? LOCAL_REGION,
  });
  for (const [key, value] of Object.entries(env)) {
    process.stdout.write(`${key}=${value}\n`);
  }
  for (const key of unresolved) {
    process.stderr.write(
      `# ${key}: refers to a resource the local stack does not create\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`local:provision failed: ${String(error)}\n`);
  process.exit(1);
});
