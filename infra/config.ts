import type { DigestSource } from '../functions/commons/source-config.ts';
import { validateUrlTemplate } from '../functions/domain/ports/digest-source.ts';
import { normaliseAddress } from '../functions/domain/subscribers/address.ts';
import { DEFAULT_PROOF } from '../functions/domain/abuse/human-proof.ts';
import { DEFAULT_SUBSCRIBE_LIMITS } from '../functions/domain/abuse/subscribe-limits.ts';

/** What an operator configures, through cdk.json context or `cdk deploy -c key=value`. */

export type { DigestSource };

export interface PaperboyConfig {
  /**
   * Where days come from: `url` fetches a published digest from `sourceUrlTemplate`; `arxiv` makes
   * Paperboy's own from arXiv's listing and API; `both` tries the URL first and produces a day the
   * URL did not give.
   */
  readonly source: DigestSource;
  /** Empty when `source` is `arxiv`. */
  readonly sourceUrlTemplate: string;
  /** arXiv categories the producer lists, e.g. `['cs.CV']`. */
  readonly arxivCategories: readonly string[];
  /** Whether the producer also takes papers cross-listed into those categories. */
  readonly arxivCrossLists: boolean;
  readonly senderAddress: string;
  readonly senderDomain: string;
  readonly postalAddress: string;
  /** Daily ingest time, "HH:MM", in `scheduleTimeZone`; the ingest also runs every few hours after it to catch late days. */
  readonly scheduleTime: string;
  readonly scheduleTimeZone: string;
  readonly feedWindowDays: number;
  /** Hours after an arXiv announcement (or the third party's learned hour) within which the day's digest is expected (DigestMissing, ListingStale). */
  readonly digestGraceHours: number;
  /** In `both` mode: announcement days without the third-party digest, while the producer gave them, before UpstreamQuiet fires. */
  readonly upstreamQuietDays: number;
  /** Bytes one feed may reach; past it, older items lose their abstracts, then the oldest days go. */
  readonly feedMaxBytes: number;
  /** Reply-To of every mail: `paperboy:replyTo`, else `paperboy:alarmEmail`; absent, replies are lost. */
  readonly replyTo?: string;
  /** A WebSub hub the feeds announce and the publisher pings (off when absent). */
  readonly websubHub?: string;
  /** SES account's maximum send rate (messages per second); sizes the sender's concurrency. */
  readonly sesMaxSendRate: number;
  /** Complete missing English abstracts from arXiv's API (on by default: the table format has none). */
  readonly arxivAbstracts: boolean;
  /** Machine translation of titles and abstracts that lack Chinese: off, or Amazon Translate (billed per character). */
  readonly translate: 'off' | 'amazon-translate';
  readonly alarmEmail?: string;
  /**
   * The mailto form of List-Unsubscribe through SES receiving (a receipt rule set and a function).
   * Off by default: receiving exists only in some regions, needs the domain's MX record, and its
   * rule set must be made the region's one active set by hand.
   */
  readonly inboundUnsubscribe: boolean;
  /** Names of resources a previous deploy retained, to attach instead of creating new ones (redeploy after destroy). */
  readonly existing: {
    readonly dataBucketName?: string;
    readonly subscribersTableName?: string;
    readonly deliveriesTableName?: string;
    readonly libraryTableName?: string;
    readonly tokenSecretArn?: string;
    /** The sender domain is already an SES identity in this region (created outside, or kept from a destroyed stack). */
    readonly sesIdentity: boolean;
  };
  /** The subscribe form's defences (README, "Security"). */
  readonly subscribeForm: {
    /** Confirmation and manage-link mails per hour across all addresses; past it subscribe sends nothing and an alarm fires. */
    readonly mailsPerHour: number;
    readonly perAddressPerHour: number;
    readonly perNetworkPerHour: number;
    /** PBKDF2 rounds per ALTCHA attempt (the work a browser does scales with it). */
    readonly altchaCost: number;
  };
  /** Bump after putting a new value in the origin secret, so CloudFront is redeployed with it. */
  readonly originSecretRotation: number;
  /** Custom site domain with an ACM certificate in us-east-1; without them the CloudFront default domain is used. */
  readonly siteDomain?: string;
  readonly certificateArn?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Paperboy configuration is incomplete:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSet them in cdk.json under "context" or pass -c key=value to cdk synth/deploy.`);
    this.name = 'ConfigError';
  }
}

type Lookup = (key: string) => unknown;

/** Reads and checks every setting at synth time, reporting all problems at once with what to set. */
export function readConfig(get: Lookup): PaperboyConfig {
  const problems: string[] = [];
  const str = (key: string, hint: string, required = true): string | undefined => {
    const v = get(key);
    if (v === undefined || v === null || String(v).trim() === '') {
      if (required) problems.push(`${key}: not set (${hint})`);
      return undefined;
    }
    return String(v).trim();
  };
  const num = (key: string, fallback: number, min: number, max: number): number => {
    const v = get(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) problems.push(`${key}: ${JSON.stringify(v)} is not a number from ${min} to ${max}`);
    return n;
  };

  const int = (key: string, fallback: number, min: number, max: number): number => {
    const n = num(key, fallback, min, max);
    if (Number.isFinite(n) && !Number.isInteger(n)) problems.push(`${key}: ${JSON.stringify(get(key))} is not a whole number`);
    return n;
  };

  const source = (str('paperboy:source', '', false) ?? 'url') as DigestSource;
  if (!['url', 'arxiv', 'both'].includes(source)) problems.push(`paperboy:source: ${JSON.stringify(source)} is not "url", "arxiv" or "both"`);
  const sourceUrlTemplate = source === 'arxiv' ? undefined : str('paperboy:sourceUrlTemplate', 'e.g. https://host/data/{yyyy}-{mm}/{yyyy}-{mm}-{dd}.md (or set paperboy:source to "arxiv")');
  const categoriesValue = get('paperboy:arxivCategories');
  const arxivCategories = (Array.isArray(categoriesValue) ? categoriesValue.map(String) : String(categoriesValue ?? 'cs.CV').split(','))
    .map((c) => c.trim())
    .filter((c) => c !== '');
  for (const c of arxivCategories) if (!/^[a-z-]+(\.[A-Za-z-]+)?$/.test(c)) problems.push(`paperboy:arxivCategories: ${JSON.stringify(c)} is not an arXiv category such as cs.CV or eess.IV`);
  if (source !== 'url' && arxivCategories.length === 0) problems.push('paperboy:arxivCategories: empty; name at least one arXiv category, e.g. "cs.CV"');
  const crossLists = get('paperboy:arxivCrossLists');
  if (crossLists !== undefined && typeof crossLists !== 'boolean' && crossLists !== 'true' && crossLists !== 'false') problems.push(`paperboy:arxivCrossLists: ${JSON.stringify(crossLists)} is not true or false`);
  if (sourceUrlTemplate) {
    const p = validateUrlTemplate(sourceUrlTemplate);
    if (p) problems.push(`paperboy:sourceUrlTemplate ${p}`);
  }
  const senderAddress = str('paperboy:senderAddress', 'the From address, e.g. digest@news.example.org, on a domain verified in SES');
  const senderDomain = str('paperboy:senderDomain', 'the domain SES sends from, e.g. news.example.org');
  if (senderAddress) {
    const a = normaliseAddress(senderAddress);
    if (!a.ok) problems.push(`paperboy:senderAddress: ${JSON.stringify(senderAddress)} is not an e-mail address`);
    else if (senderDomain && !a.email.endsWith(`@${senderDomain.toLowerCase()}`)) problems.push(`paperboy:senderAddress must be an address at paperboy:senderDomain (${senderDomain})`);
  }
  const postalAddress = str('paperboy:postalAddress', "the sender's postal address, shown in every mail (anti-spam laws require it)");
  const scheduleTime = str('paperboy:scheduleTime', 'HH:MM', false) ?? '08:30';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(scheduleTime)) problems.push(`paperboy:scheduleTime: ${JSON.stringify(scheduleTime)} is not HH:MM`);
  const scheduleTimeZone = str('paperboy:scheduleTimeZone', 'an IANA zone', false) ?? 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone: scheduleTimeZone });
  } catch {
    problems.push(`paperboy:scheduleTimeZone: ${JSON.stringify(scheduleTimeZone)} is not an IANA time zone (e.g. Europe/Berlin)`);
  }
  const alarmEmail = str('paperboy:alarmEmail', '', false);
  if (alarmEmail && !normaliseAddress(alarmEmail).ok) problems.push(`paperboy:alarmEmail: ${JSON.stringify(alarmEmail)} is not an e-mail address`);
  const siteDomain = str('paperboy:siteDomain', '', false);
  const certificateArn = str('paperboy:certificateArn', '', false);
  if (siteDomain && !certificateArn) problems.push('paperboy:certificateArn: needed with paperboy:siteDomain (an ACM certificate in us-east-1 covering it)');
  // CloudFront only takes certificates from us-east-1, whatever region the stack is in.
  if (certificateArn && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/.+/.test(certificateArn)) problems.push(`paperboy:certificateArn: ${JSON.stringify(certificateArn)} is not an ACM certificate in us-east-1 (CloudFront uses only those; request or import it there)`);
  const bool = (key: string, fallback: boolean): boolean => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return fallback;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    problems.push(`${key}: ${JSON.stringify(v)} is not true or false`);
    return fallback;
  };
  const named = (key: string, pattern: RegExp, what: string): string | undefined => {
    const v = str(key, '', false);
    if (v && !pattern.test(v)) problems.push(`${key}: ${JSON.stringify(v)} is not ${what}`);
    return v;
  };
  const existing = {
    dataBucketName: named('paperboy:dataBucketName', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
    subscribersTableName: named('paperboy:subscribersTableName', /^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name'),
    deliveriesTableName: named('paperboy:deliveriesTableName', /^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name'),
    libraryTableName: named('paperboy:libraryTableName', /^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name'),
    tokenSecretArn: named('paperboy:tokenSecretArn', /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/, 'the full ARN of a Secrets Manager secret'),
    sesIdentity: bool('paperboy:sesIdentityExists', false),
  };
  const replyTo = str('paperboy:replyTo', '', false) || alarmEmail;
  if (replyTo && !normaliseAddress(replyTo).ok) problems.push(`paperboy:replyTo: ${JSON.stringify(replyTo)} is not an e-mail address`);
  const websubHub = str('paperboy:websubHub', '', false);
  if (websubHub && !/^https:\/\/[^\s/]+/.test(websubHub)) problems.push(`paperboy:websubHub: ${JSON.stringify(websubHub)} is not an https URL of a WebSub hub`);
  const translate = str('paperboy:translate', '', false) ?? 'off';
  if (translate !== 'off' && translate !== 'amazon-translate') problems.push(`paperboy:translate: ${JSON.stringify(translate)} is not "off" or "amazon-translate"`);
  const arxivAbstracts = get('paperboy:arxivAbstracts');
  if (arxivAbstracts !== undefined && typeof arxivAbstracts !== 'boolean' && arxivAbstracts !== 'true' && arxivAbstracts !== 'false') problems.push(`paperboy:arxivAbstracts: ${JSON.stringify(arxivAbstracts)} is not true or false`);
  const config = {
    source,
    arxivCategories,
    arxivCrossLists: crossLists === true || crossLists === 'true',
    arxivAbstracts: arxivAbstracts === undefined || arxivAbstracts === true || arxivAbstracts === 'true',
    translate: translate as PaperboyConfig['translate'],
    sourceUrlTemplate: sourceUrlTemplate ?? '',
    senderAddress: senderAddress ?? '',
    senderDomain: (senderDomain ?? '').toLowerCase(),
    postalAddress: postalAddress ?? '',
    scheduleTime,
    scheduleTimeZone,
    feedWindowDays: num('paperboy:feedWindowDays', 14, 1, 366),
    digestGraceHours: num('paperboy:digestGraceHours', 3, 1, 48),
    upstreamQuietDays: int('paperboy:upstreamQuietDays', 3, 1, 30),
    feedMaxBytes: num('paperboy:feedMaxBytes', 1_500_000, 100_000, 2_000_000),
    sesMaxSendRate: num('paperboy:sesMaxSendRate', 14, 1, 1000),
    inboundUnsubscribe: bool('paperboy:inboundUnsubscribe', false),
    subscribeForm: {
      mailsPerHour: int('paperboy:confirmationMailsPerHour', DEFAULT_SUBSCRIBE_LIMITS.mailsPerHour, 1, 100_000),
      perAddressPerHour: int('paperboy:subscribesPerAddressPerHour', DEFAULT_SUBSCRIBE_LIMITS.perAddressPerHour, 1, 10_000),
      perNetworkPerHour: int('paperboy:subscribesPerNetworkPerHour', DEFAULT_SUBSCRIBE_LIMITS.perNetworkPerHour, 1, 100_000),
      altchaCost: int('paperboy:altchaCost', DEFAULT_PROOF.cost, 1, 1_000_000),
    },
    originSecretRotation: int('paperboy:originSecretRotation', 0, 0, 1_000_000),
    existing: Object.fromEntries(Object.entries(existing).filter(([, v]) => v !== undefined)) as PaperboyConfig['existing'],
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(websubHub ? { websubHub } : {}),
    ...(replyTo ? { replyTo } : {}),
    ...(siteDomain ? { siteDomain } : {}),
    ...(certificateArn ? { certificateArn } : {}),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
