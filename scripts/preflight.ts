/**
 * npm run preflight [-- --region eu-west-1] [-c key=value …] [--endpoint URL]
 * Before `cdk deploy`: read-only checks of the AWS account in your shell's credentials, and of the
 * configuration in cdk.json, that say what would block or hurt a first deploy, why, and the fix.
 * Exits 1 when something blocks.
 */
import { readFileSync } from 'node:fs';
import { readOptions } from './local/cli.ts';
import { formatFindings, preflightFindings } from '../infra/preflight/findings.ts';
import { gatherFacts } from '../infra/preflight/gather.ts';

const values = readOptions('npm run preflight', 'Before cdk deploy: read-only checks of the AWS account in your credentials and of cdk.json; exits 1 when something blocks.', {
  region: { type: 'string', value: 'REGION', help: 'the region you will deploy to (default AWS_REGION)' },
  endpoint: { type: 'string', value: 'URL', help: 'an AWS endpoint (moto_server in the tests)' },
  context: { type: 'string', short: 'c', multiple: true, value: 'KEY=VALUE', help: 'a cdk context value, as for cdk deploy -c' },
});
const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
const overrides = Object.fromEntries((values.context ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const context = (key: string) => overrides[key] ?? cdkJson.context[key];
const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!region) {
  console.error('preflight: no region. Pass --region, or set AWS_REGION (the region you will deploy to).');
  process.exit(2);
}

const facts = await gatherFacts({ region, senderDomain: String(context('paperboy:senderDomain') ?? ''), ...(values.endpoint ? { endpoint: values.endpoint } : {}) });
const findings = preflightFindings(facts, context);
console.log(`Paperboy preflight for ${region}\n${formatFindings(findings)}`);
const blockers = findings.filter((f) => f.level === 'blocker').length;
const warnings = findings.filter((f) => f.level === 'warning').length;
console.log(`\n${blockers} blocker(s), ${warnings} warning(s)${blockers ? ': fix the blockers before `npm run cdk -- deploy`' : ''}`);
process.exitCode = blockers ? 1 : 0;
