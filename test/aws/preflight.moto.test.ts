import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SESv2Client, CreateEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { preflightFindings, type AccountFacts } from '../../infra/preflight/findings.ts';
import { gatherFacts } from '../../infra/preflight/gather.ts';
import { placeholderProblems } from '../../infra/preflight/placeholders.ts';
import { motoClientConfig } from '../../scripts/local/moto-server.ts';
import { motoEndpoint } from '../support/moto.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLE = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const REAL = { ...SAMPLE, 'paperboy:senderAddress': 'digest@news.paperboy.test', 'paperboy:senderDomain': 'news.paperboy.test', 'paperboy:postalAddress': 'Paperboy, 2 Real Road, Town' } as Record<string, unknown>;
const ctx = (values: Record<string, unknown>) => (key: string) => values[key];

describe('placeholders', () => {
  it("names every sample value still in cdk.json, and only those", () => {
    const problems = placeholderProblems(ctx({ ...SAMPLE, 'paperboy:source': 'url' }));
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['paperboy:senderAddress', 'paperboy:senderDomain', 'paperboy:postalAddress', 'paperboy:sourceUrlTemplate']);
    // With the producer, the URL template is not used and not asked for.
    expect(placeholderProblems(ctx(REAL))).toEqual([]);
  });

  it('cdk synth/deploy refuses them with the same words, unless told it is only a look', async () => {
    const failed = await run('npx', ['tsx', 'infra/app.ts'], { cwd: ROOT, env: { ...process.env, CDK_OUTDIR: '/tmp/paperboy-placeholder-check', CDK_CONTEXT_JSON: JSON.stringify(SAMPLE) } }).catch((err: { stderr: string }) => err);
    expect((failed as { stderr: string }).stderr).toContain('Paperboy will not deploy placeholder values');
    expect((failed as { stderr: string }).stderr).toContain("paperboy:senderDomain is still the sample's");
    expect((failed as { stderr: string }).stderr).toContain('-c paperboy:allowPlaceholders=true');
    // The words alone: no stack trace under them.
    expect((failed as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  });
});

describe('findings from account facts', () => {
  const healthy: AccountFacts = {
    region: 'eu-west-1',
    lambdaConcurrency: 1000,
    ses: { productionAccess: true, sendingEnabled: true, maxSendRate: 14, max24HourSend: 50_000 },
    senderIdentity: { verifiedForSending: true, dkimStatus: 'SUCCESS' },
    receiving: true,
    bootstrapVersion: 27,
  };

  it('a ready account: nothing to fix', () => {
    expect(preflightFindings(healthy, ctx(REAL)).filter((f) => f.level !== 'ok')).toEqual([]);
  });

  it('a brand-new account: concurrency 10, SES sandbox at 1/s, no identity, no bootstrap, each with its fix', () => {
    const findings = preflightFindings(
      { ...healthy, region: 'ap-south-1', lambdaConcurrency: 10, ses: { productionAccess: false, sendingEnabled: true, maxSendRate: 1, max24HourSend: 200 }, senderIdentity: null, receiving: false, bootstrapVersion: null },
      ctx(REAL),
    );
    const by = (text: string) => findings.find((f) => f.what.includes(text));
    expect(by('not bootstrapped')).toMatchObject({ level: 'blocker', fix: 'npm run cdk -- bootstrap aws://<account>/ap-south-1' });
    expect(by('Lambda concurrency quota is 10')).toMatchObject({ level: 'warning', fix: expect.stringContaining('Service Quotas') });
    expect(by('sandbox')).toMatchObject({ level: 'warning', fix: expect.stringContaining('Request production access') });
    expect(by('sesMaxSendRate is 14/s, SES allows 1/s')?.fix).toContain('set paperboy:sesMaxSendRate to 1');
    expect(by('not an SES identity yet')?.fix).toContain('DkimRecord');
    expect(by('SES receives no mail')?.level).toBe('warning');
    for (const f of findings.filter((x) => x.level !== 'ok')) expect([f.why.length > 10, f.fix.length > 5]).toEqual([true, true]);
  });
});

describe('without credentials', () => {
  it('says once that there are none and how to give them, instead of a warning per check', () => {
    const none = { unavailable: 'CredentialsProviderError: Could not load credentials from any providers' };
    const findings = preflightFindings({ region: 'eu-west-1', lambdaConcurrency: none, ses: none, senderIdentity: none, receiving: none, bootstrapVersion: none }, ctx(REAL));
    expect(findings.filter((f) => f.level !== 'ok')).toEqual([{ level: 'blocker', what: 'no AWS credentials in this shell', why: expect.stringContaining('CDK bootstrap'), fix: expect.stringContaining('AWS_PROFILE') }]);
  });
});

describe('gathered from moto_server', () => {
  it('reads the identity, the bootstrap version and SES receiving, and says which calls moto does not implement', async () => {
    const config = motoClientConfig(motoEndpoint());
    await new SESv2Client(config).send(new CreateEmailIdentityCommand({ EmailIdentity: 'news.paperboy.test' }));
    await new SSMClient(config).send(new PutParameterCommand({ Name: '/cdk-bootstrap/pfqual/version', Value: '27', Type: 'String', Overwrite: true }));
    const facts = await gatherFacts({ region: 'us-east-1', senderDomain: 'news.paperboy.test', endpoint: motoEndpoint(), credentials: config.credentials, qualifier: 'pfqual' });
    expect(facts.bootstrapVersion).toBe(27);
    expect(facts.receiving).toBe(true);
    expect(facts.senderIdentity).toMatchObject({ dkimStatus: expect.any(String) });
    // moto 5 implements neither Lambda GetAccountSettings nor SESv2 GetAccount: reported, not guessed.
    expect(facts.lambdaConcurrency).toEqual({ unavailable: expect.stringContaining('does not implement') });
    expect(facts.ses).toEqual({ unavailable: expect.stringContaining('does not implement') });
    const missing = await gatherFacts({ region: 'us-east-1', senderDomain: 'nobody.paperboy.test', endpoint: motoEndpoint(), credentials: config.credentials, qualifier: 'none' });
    expect([missing.senderIdentity, missing.bootstrapVersion]).toEqual([null, null]);
  });

  it('npm run preflight prints each finding with its why and fix, and exits 1 on a blocker', async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
    const out = await run('npx', ['tsx', 'scripts/preflight.ts', '--endpoint', motoEndpoint()], { cwd: ROOT, env }).catch((err: { stdout: string; code: number }) => err);
    const stdout = (out as { stdout: string }).stdout;
    expect((out as { code?: number }).code).toBe(1);
    expect(stdout).toContain('BLOCKER paperboy:senderAddress is a placeholder');
    expect(stdout).toMatch(/BLOCKER us-east-1 is not bootstrapped for the CDK\n\s+why: .+\n\s+fix: npm run cdk -- bootstrap/);
    expect(stdout).toContain('WARNING could not check the Lambda concurrency quota');
    expect(stdout).toMatch(/\d+ blocker\(s\), \d+ warning\(s\)/);
  });
});
