import { senderConcurrencyFor } from '../sender-concurrency.ts';
import { placeholderProblems } from './placeholders.ts';

/**
 * What stands between an operator and a working first `cdk deploy`, from read-only facts about
 * their account. Pure: the facts are gathered elsewhere (scripts/preflight.ts) and may be missing.
 */

export type Unavailable = { readonly unavailable: string };
export type Fact<T> = T | Unavailable;

export interface AccountFacts {
  readonly region: string;
  /** Lambda GetAccountSettings: AccountLimit.ConcurrentExecutions. */
  readonly lambdaConcurrency: Fact<number>;
  /** SESv2 GetAccount. */
  readonly ses: Fact<{ readonly productionAccess: boolean; readonly sendingEnabled: boolean; readonly maxSendRate: number; readonly max24HourSend: number }>;
  /** SESv2 GetEmailIdentity of the sender domain; null when it does not exist yet. */
  readonly senderIdentity: Fact<{ readonly verifiedForSending: boolean; readonly dkimStatus: string } | null>;
  /** SES receiving answers in this region (DescribeActiveReceiptRuleSet). */
  readonly receiving: Fact<boolean>;
  /** The CDK bootstrap stack's version parameter; null when the region is not bootstrapped. */
  readonly bootstrapVersion: Fact<number | null>;
}

export interface Finding {
  readonly level: 'blocker' | 'warning' | 'ok';
  readonly what: string;
  readonly why: string;
  readonly fix: string;
}

/** How the SDK says it found no credentials (in the default provider chain). */
const NO_CREDENTIALS = /CredentialsProviderError|Could not load credentials/;

const isUnavailable = <T>(f: Fact<T>): f is Unavailable => typeof f === 'object' && f !== null && 'unavailable' in f;

/** Concurrency Paperboy's functions may use at once on a busy morning: the senders plus the rest. */
export function concurrencyWanted(sesMaxSendRate: number): number {
  // Ingest, publish, plan, API, bounces and reconcile may run beside the senders.
  return senderConcurrencyFor(sesMaxSendRate) + 6;
}

export function preflightFindings(facts: AccountFacts, context: (key: string) => unknown): Finding[] {
  const out: Finding[] = [];
  const senderDomain = String(context('paperboy:senderDomain') ?? '');
  const sesRate = Number(context('paperboy:sesMaxSendRate') ?? 14);
  const cantCheck = (what: string, f: Unavailable, fix: string) => out.push({ level: 'warning', what: `could not check ${what}`, why: f.unavailable, fix });

  for (const p of placeholderProblems(context)) out.push({ level: 'blocker', what: `${p.split(' ')[0] ?? p} is a placeholder`, why: p, fix: 'edit cdk.json "context" (or pass -c key=value); `cdk deploy` refuses these values too' });

  // Without credentials every account check fails the same way: say that once, with how to give them.
  const account = [facts.bootstrapVersion, facts.lambdaConcurrency, facts.ses, facts.senderIdentity, facts.receiving];
  if (account.every((f) => isUnavailable(f) && NO_CREDENTIALS.test(f.unavailable))) {
    out.push({
      level: 'blocker',
      what: 'no AWS credentials in this shell',
      why: 'the account checks (CDK bootstrap, Lambda quota, SES account, sender identity, SES receiving) read your account, and `cdk deploy` needs credentials too',
      fix: 'sign in with `aws configure sso` (or `aws configure`) and export AWS_PROFILE=<profile>, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; then run npm run preflight again',
    });
    return out;
  }

  if (isUnavailable(facts.bootstrapVersion)) cantCheck('the CDK bootstrap', facts.bootstrapVersion, `run: npm run cdk -- bootstrap aws://<account>/${facts.region}`);
  else if (facts.bootstrapVersion === null) out.push({ level: 'blocker', what: `${facts.region} is not bootstrapped for the CDK`, why: '`cdk deploy` needs the bootstrap stack (its asset bucket and roles) in the target account and region', fix: `npm run cdk -- bootstrap aws://<account>/${facts.region}` });
  else if (facts.bootstrapVersion < 6) out.push({ level: 'blocker', what: `CDK bootstrap version ${facts.bootstrapVersion} is too old`, why: 'this CDK needs bootstrap version 6 or newer', fix: `npm run cdk -- bootstrap aws://<account>/${facts.region}` });
  else out.push({ level: 'ok', what: `CDK bootstrap version ${facts.bootstrapVersion}`, why: '', fix: '' });

  if (isUnavailable(facts.lambdaConcurrency)) cantCheck('the Lambda concurrency quota', facts.lambdaConcurrency, 'Service Quotas console → AWS Lambda → Concurrent executions');
  else {
    const wanted = concurrencyWanted(sesRate);
    // A backfill uploads many days at once, and each starts an ingest, a publish and a plan: 50 leaves room.
    if (facts.lambdaConcurrency < Math.max(wanted, 50)) {
      out.push({
        level: 'warning',
        what: `Lambda concurrency quota is ${facts.lambdaConcurrency}`,
        why: `a send morning runs up to ${wanted} functions at once (senders sized from paperboy:sesMaxSendRate=${sesRate}, plus ingest, publish, API) and a backfill many more; above the quota Lambda throttles and retries them, so mail and pages come later. The stack reserves no concurrency, so it deploys anyway`,
        fix: 'Service Quotas console → AWS Lambda → Concurrent executions → request 1000 (new accounts start at 10; increases are usually granted within a day)',
      });
    } else out.push({ level: 'ok', what: `Lambda concurrency quota ${facts.lambdaConcurrency}`, why: '', fix: '' });
  }

  if (isUnavailable(facts.ses)) cantCheck('the SES account', facts.ses, 'SES console → Account dashboard');
  else {
    if (!facts.ses.sendingEnabled) out.push({ level: 'blocker', what: 'SES sending is disabled for this account', why: 'SES paused sending (often after high bounce or complaint rates); no newsletter or confirmation can go out', fix: 'SES console → Account dashboard: read the reason and ask AWS Support to re-enable sending' });
    if (!facts.ses.productionAccess) {
      out.push({ level: 'warning', what: 'SES is in the sandbox', why: 'mail goes only to verified addresses, at most 200 a day: subscribers other than you get nothing', fix: 'SES console → Account dashboard → Request production access (describe a double-opt-in newsletter with one-click unsubscribe and bounce handling); until then, verify your own test address' });
    }
    if (facts.ses.maxSendRate < sesRate) out.push({ level: 'warning', what: `paperboy:sesMaxSendRate is ${sesRate}/s, SES allows ${facts.ses.maxSendRate}/s`, why: 'senders sized for a higher rate are throttled by SES and back off: slower sends, more retries', fix: `set paperboy:sesMaxSendRate to ${facts.ses.maxSendRate}, or ask for a higher sending quota` });
    else out.push({ level: 'ok', what: `SES quota ${facts.ses.maxSendRate}/s, ${facts.ses.max24HourSend} a day`, why: '', fix: '' });
  }

  if (isUnavailable(facts.senderIdentity)) cantCheck(`the SES identity ${senderDomain}`, facts.senderIdentity, 'SES console → Identities');
  else if (facts.senderIdentity === null) out.push({ level: 'warning', what: `${senderDomain} is not an SES identity yet`, why: 'the stack creates it, but SES sends nothing from it until its DKIM records are in DNS and verified', fix: 'after deploy, add the three DkimRecord CNAMEs from the stack outputs to your DNS' });
  else if (!facts.senderIdentity.verifiedForSending) out.push({ level: 'warning', what: `${senderDomain} is not verified for sending (DKIM ${facts.senderIdentity.dkimStatus})`, why: 'no mail leaves until SES has verified the domain', fix: 'add the DKIM CNAME records SES shows for the identity to your DNS, then wait for SES to verify it' });
  else out.push({ level: 'ok', what: `${senderDomain} verified for sending`, why: '', fix: '' });

  if (isUnavailable(facts.receiving)) cantCheck('SES receiving', facts.receiving, `SES console → Email receiving in ${facts.region}; without it only the HTTPS one-click unsubscribe works`);
  else if (!facts.receiving) out.push({ level: 'warning', what: `SES receives no mail in ${facts.region}`, why: 'the List-Unsubscribe mailto form needs SES receiving; the one-click HTTPS form works anywhere', fix: 'deploy in a region where SES receives mail (e.g. us-east-1, us-west-2, eu-west-1), or rely on the HTTPS unsubscribe only' });
  else out.push({ level: 'ok', what: `SES receiving available in ${facts.region}`, why: '', fix: '' });

  return out;
}

export function formatFindings(findings: readonly Finding[]): string {
  const mark = { blocker: 'BLOCKER', warning: 'WARNING', ok: 'ok     ' } as const;
  return findings
    .map((f) => (f.level === 'ok' ? `${mark.ok} ${f.what}` : `${mark[f.level]} ${f.what}\n          why: ${f.why}\n          fix: ${f.fix}`))
    .join('\n');
}
