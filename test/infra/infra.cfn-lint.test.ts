import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/config.ts';
import { PaperboyStack } from '../../infra/paperboy-stack.ts';

const CONTEXT = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/**
 * Checks cfn-lint leaves out of the verdict, each with its reason:
 * - W3005 (a DependsOn already implied by a GetAtt): the CDK adds an explicit DependsOn from every
 *   function to its role; redundant, and harmless to CloudFormation.
 */
const IGNORED = ['W3005'];

const dir = mkdtempSync(join(tmpdir(), 'paperboy-cfn-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function templateFile(name: string, extra: Record<string, unknown>): string {
  const app = new App({ context: { ...CONTEXT, ...extra, 'aws:cdk:bundling-stacks': [] } });
  const stack = new PaperboyStack(app, 'Paperboy', { config: readConfig((k) => app.node.tryGetContext(k)), env: { account: '123456789012', region: 'eu-west-1' } });
  const file = join(dir, `${name}.template.json`);
  writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
  return file;
}

function cfnLint(file: string): { status: number | null; findings: { Rule: { Id: string }; Message: string; Location: { Path: string[] } }[] } {
  const which = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (which.error) throw new Error('cfn-lint is not installed: run scripts/install-system-deps.sh, or pip install cfn-lint');
  const run = spawnSync('cfn-lint', ['--format', 'json', '--ignore-checks', ...IGNORED, '--', file], { encoding: 'utf8' });
  return { status: run.status, findings: JSON.parse(run.stdout || '[]') as never };
}

describe('the synthesized template under cfn-lint', () => {
  for (const [name, extra] of [
    ['sample', {}],
    ['url-source-translate-domain', { 'paperboy:source': 'both', 'paperboy:translate': 'amazon-translate', 'paperboy:alarmEmail': 'ops@example.org', 'paperboy:siteDomain': 'digest.example.org', 'paperboy:certificateArn': 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }],
  ] as const) {
    it(`has no errors and no warnings beyond the documented ones (${name} configuration)`, () => {
      const { status, findings } = cfnLint(templateFile(name, extra));
      expect(findings.map((f) => `${f.Rule.Id} ${f.Message} at ${f.Location.Path.join('/')}`)).toEqual([]);
      expect(status).toBe(0);
    });
  }

  it('is checked by a cfn-lint that reports what it finds (a broken template fails)', () => {
    const file = join(dir, 'broken.template.json');
    writeFileSync(file, JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } } } }));
    const { status, findings } = cfnLint(file);
    expect(status).not.toBe(0);
    expect(findings.some((f) => f.Rule.Id.startsWith('E'))).toBe(true);
    expect(execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' })).toMatch(/cfn-lint \d+/);
  });
});
