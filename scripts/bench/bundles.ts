import type { LambdaEnv } from '../../functions/commons/lambda-env.ts';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { median } from './stats.ts';

const run = promisify(execFile);

// Values only so each handler's module-level setup runs; nothing is called.
const ENV: LambdaEnv = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  DATA_BUCKET: 'd',
  SITE_BUCKET: 's',
  EVENT_BUS_NAME: 'b',
  SUBSCRIBERS_TABLE: 't',
  DELIVERIES_TABLE: 't',
  SEND_QUEUE_URL: 'http://127.0.0.1:9/q',
  TOKEN_SECRET: 'x',
  API_URL: 'http://127.0.0.1:9/api',
  SENDER_FROM: 'a@b.c',
  SENDER_DOMAIN: 'b.c',
  POSTAL_ADDRESS: 'x',
};

type Variables = Record<string, unknown>;

/** The function's own environment from the template: literal values as they are, references (bucket names, ARNs) as placeholders. */
function environmentOf(variables: Variables | undefined): Record<string, string> {
  const env: Record<string, string> = { ...ENV };
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (typeof value === 'string') env[name] = value;
    else env[name] ??= 'x';
  }
  return env;
}

/**
 * Issue 11 asks the sender's cold import for ≤ 60 ms. What no code of ours can go under: the AWS
 * SDK clients it sends and stores with (S3, SES, DynamoDB, Secrets Manager), bundled the same way
 * and imported alone.
 */
async function sdkFloor(dir: string): Promise<void> {
  const entry = join(dir, 'sdk-floor.mjs');
  writeFileSync(
    entry,
    [
      "import { S3Client } from '@aws-sdk/client-s3';",
      "import { SESClient } from '@aws-sdk/client-ses';",
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
      "export const clients = [new S3Client({}), new SESClient({}), new DynamoDBClient({}), new SecretsManagerClient({})];",
    ].join('\n'),
  );
  const out = join(dir, 'sdk-floor.bundle.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node22', minify: true, outfile: out, nodePaths: [join(process.cwd(), 'node_modules')], banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" }, logLevel: 'error' });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const script = `const t=performance.now();await import(${JSON.stringify(`file://${out}`)});console.log(performance.now()-t)`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    times.push(Number(stdout.trim()));
  }
  console.log(`SendBatch goal (issue 11): ≤ 1 MB and ≤ 60 ms cold import. The four SDK clients it uses, bundled alone: ${(statSync(out).size / 1024 / 1024).toFixed(2)} MB, cold import ${median(times).toFixed(0)} ms (median of 5)`);
}

/** Bundle size of every Lambda as `cdk synth` builds it, and the time a fresh Node process takes to import it (Lambda init stand-in). */
export async function benchBundles(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-bundles-'));
  try {
    await run('npx', ['cdk', 'synth', '--quiet', '-c', 'paperboy:allowPlaceholders=true', '-o', dir], { env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' }, maxBuffer: 64 * 1024 * 1024 });
    const template = JSON.parse(readFileSync(join(dir, 'Paperboy.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string }; Handler?: string; Environment?: { Variables?: Variables } } }> };
    console.log('## Lambda bundles (cdk synth, esbuild, ESM, minified; goals < 5 MB and < 500 ms import)');
    for (const [id, r] of Object.entries(template.Resources)) {
      if (r.Type !== 'AWS::Lambda::Function' || r.Properties.Handler !== 'index.handler' || !r.Properties.Code?.S3Key) continue;
      const file = join(dir, `asset.${r.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      // CDK's own helpers (bucket auto-delete, notifications) ship CommonJS index.js: not ours.
      if (!existsSync(file)) continue;
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});console.log(performance.now()-t)`;
        const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...environmentOf(r.Properties.Environment?.Variables) } });
        times.push(Number(stdout.trim()));
      }
      console.log(`${id.replace(/[0-9A-F]{8}$/, '').padEnd(16)} ${(statSync(file).size / 1024 / 1024).toFixed(2)} MB, cold import ${median(times).toFixed(0)} ms (median of 5 fresh processes)`);
    }
    await sdkFloor(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
