import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { REPUTATION_ALARM_PERCENT } from '../../functions/domain/abuse/reputation.ts';
import { GUARD_METRICS, INGEST_METRICS, PLAN_METRICS, REPUTATION_METRICS, SEND_METRICS, METRICS_NAMESPACE, SERVICE } from '../../functions/commons/metric-names.ts';
import type { FunctionResources } from './functions.ts';
import type { PaperboyStack } from '../paperboy-stack.ts';
import type { PaperboyConfig } from '../config.ts';

/** The alarms, each with what it means in its description (README, "When an alarm fires"). */
export function alarmResources(stack: PaperboyStack, alarmAction: SnsAction, { sendDlq }: FunctionResources, { eventDlq }: { readonly eventDlq: Queue }, config: Pick<PaperboyConfig, 'source' | 'digestGraceHours' | 'upstreamQuietDays'>) {
  const alarm = (id: string, metric: cloudwatch.IMetric, description: string, opts: Partial<cloudwatch.CreateAlarmOptions> = {}) =>
    new cloudwatch.Alarm(stack, id, {
      metric,
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
      ...opts,
    }).addAlarmAction(alarmAction);
  for (const [id, q] of [['SendDlqNotEmpty', sendDlq], ['EventDlqNotEmpty', eventDlq]] as const) {
    alarm(id, q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }), `${q.node.id} has messages: work that failed every retry`);
  }
  for (const [name, f] of Object.entries(stack.functions)) {
    if (f.deadLetterQueue) alarm(`${f.node.id}DlqNotEmpty`, f.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }), `${name}: async invocations failed every retry`);
    alarm(`${f.node.id}Errors`, f.metricErrors({ period: Duration.minutes(5) }), `${name} threw`);
  }
  // arXiv announces Sunday to Thursday at 20:00 New York, not on Friday, Saturday or its holidays
  // (functions/domain/arxiv/calendar.ts): each scheduled ingest run says whether the last
  // announcement's digest is in (0) or past its grace without one (1), so a missing day alarms within
  // a run or two (every 3 hours) and clears by itself once the digest comes in; a quiet day expects nothing.
  const ingestMetric = (metricName: string) => new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName, statistic: 'Maximum', period: Duration.hours(3) });
  alarm('DigestMissing', ingestMetric(INGEST_METRICS.missing), `The day's digest has not come in within its grace (paperboy:digestGraceHours, ${config.digestGraceHours} h after arXiv's announcement, or after the third party's usual hour): the IngestScheduled log line "digest of <date>: missing" names the day (README, "When an alarm fires")`);
  // The producer reads arXiv's listing feeds: one that repeats the previous day's papers, or still shows an older day after an announcement, is stale.
  if (config.source !== 'url') alarm('ListingStale', ingestMetric(INGEST_METRICS.listingStale), 'An arXiv listing feed the producer reads is stale: it carries the same papers as the previous announcement day, or still shows an older day past the grace; the log line "arXiv listing <category>: stale: …" says which (README, "When an alarm fires")');
  // In `both` mode the third party is tried first; when it covered none of the last N announcement days and the producer did, the producer carries the project.
  if (config.source === 'both') alarm('UpstreamQuiet', ingestMetric(INGEST_METRICS.upstreamQuiet), `The third-party digest has covered none of the last ${config.upstreamQuietDays} arXiv announcement days (paperboy:upstreamQuietDays) while Paperboy's producer did: the producer alone is carrying the project (README, "When an alarm fires")`);
  // Subscription bombing: the hour's confirmation budget ran out and mails were held back (README, "Security").
  alarm('ConfirmationsHeldBack', new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName: GUARD_METRICS['mail-held-back'], statistic: 'Sum', period: Duration.hours(1) }), 'The subscribe form reached its hourly confirmation budget (paperboy:confirmationMailsPerHour) and held mails back: likely bots submitting strangers’ addresses');
  // Reputation: rolling 24-hour rates from SES's events, and SES's own account-level figures, each well below SES's review levels (5 % bounces, 0.1 % complaints).
  const percent = (metricName: string) => new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName, statistic: 'Maximum', period: Duration.hours(1) });
  alarm('BounceRateHigh', percent(REPUTATION_METRICS.bounceRate), `Hard bounces over the last 24 hours exceed ${REPUTATION_ALARM_PERCENT.bounceRate} % of mails sent (SES reviews accounts at 5 %)`, { threshold: REPUTATION_ALARM_PERCENT.bounceRate });
  alarm('ComplaintRateHigh', percent(REPUTATION_METRICS.complaintRate), `Complaints over the last 24 hours exceed ${REPUTATION_ALARM_PERCENT.complaintRate} % of mails sent (SES reviews accounts at 0.1 %)`, { threshold: REPUTATION_ALARM_PERCENT.complaintRate });
  const sesReputation = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
  alarm('SesAccountBounceRate', sesReputation('Reputation.BounceRate'), 'SES’s own bounce rate for the account is past half its review level', { threshold: 0.025 });
  alarm('SesAccountComplaintRate', sesReputation('Reputation.ComplaintRate'), 'SES’s own complaint rate for the account is past half its review level', { threshold: 0.0005 });
  // A confirmed subscriber record the planner could not read was left out of the day's mail (README, "Unreadable subscriber records").
  alarm('SubscriberRecordsUnreadable', new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName: PLAN_METRICS.unreadable, statistic: 'Maximum', period: Duration.hours(1) }), 'The planner left confirmed subscriber records out of a plan because this code cannot read them: the log line of PlanSend names each by fingerprint and says which field is wrong');
  alarm('SendFailures', new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName: SEND_METRICS.failed, statistic: 'Sum', period: Duration.hours(1) }), 'SES refused mail or a send was left unconfirmed');
}
