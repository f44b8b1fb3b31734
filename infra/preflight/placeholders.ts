/**
 * Context values still at the sample's placeholders: deploying them would send mail "from"
 * example.org and fetch digests from nowhere. `cdk deploy` and `npm run preflight` both refuse them
 * with these words.
 */
const EXAMPLE_HOST = /(^|[.@/])example\.(org|com|net)([/:]|$)/i;

export function placeholderProblems(get: (key: string) => unknown): string[] {
  const problems: string[] = [];
  const value = (key: string) => String(get(key) ?? '');
  const source = value('paperboy:source') || 'url';
  for (const key of ['paperboy:senderAddress', 'paperboy:senderDomain']) {
    if (EXAMPLE_HOST.test(value(key))) problems.push(`${key} is still the sample's ${JSON.stringify(value(key))}: set your own domain, verified in SES`);
  }
  if (/example (street|city)/i.test(value('paperboy:postalAddress'))) problems.push(`paperboy:postalAddress is still the sample's: set the postal address your mail must show`);
  if (source !== 'arxiv' && EXAMPLE_HOST.test(value('paperboy:sourceUrlTemplate'))) problems.push(`paperboy:sourceUrlTemplate is still the sample's ${JSON.stringify(value('paperboy:sourceUrlTemplate'))}: set where the digest is published, or set paperboy:source to "arxiv"`);
  return problems;
}

export const PLACEHOLDER_HELP = 'Set them in cdk.json under "context" or with -c key=value. To synthesize the sample configuration anyway (tests, a first look), add -c paperboy:allowPlaceholders=true.';
