import { Duration, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { ANNOUNCEMENT_ZONE } from '../../functions/domain/arxiv/calendar.ts';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DIGEST_READY, DIGEST_UPDATED, EVENT_SOURCE } from '../../functions/domain/events.ts';
import type { PaperboyConfig } from '../config.ts';
import type { DataResources } from './data.ts';
import type { FunctionResources } from './functions.ts';
import { ack } from './ack.ts';
import type { PaperboyStack } from '../paperboy-stack.ts';

/** What runs when: the daily ingest schedule, the event rules for DigestReady and DigestUpdated, the weekly mail and the hourly reputation read. */
export function scheduleResources(stack: PaperboyStack, config: PaperboyConfig, { bus }: DataResources, { ingestScheduled, publish, planSend, bounces }: FunctionResources) {
  const [hour, minute] = config.scheduleTime.split(':');
  new Schedule(stack, 'DailyIngest', {
    description: 'Fetch the daily digest; later runs the same day catch a late publication',
    schedule: ScheduleExpression.cron({ minute: String(Number(minute)), hour: `${Number(hour)}-23/3`, timeZone: TimeZone.of(config.scheduleTimeZone) }),
    target: new LambdaInvoke(ingestScheduled, { retryAttempts: 2 }),
  });
  // The producer follows arXiv's calendar (functions/domain/arxiv/calendar.ts): a run 20 minutes
  // after each announcement (Sunday to Thursday, 20:00 New York, daylight saving kept by the
  // scheduler's zone) makes the day as soon as it exists; on a holiday it finds no new day and writes nothing.
  if (config.source !== 'url') {
    new Schedule(stack, 'AfterAnnouncement', {
      description: "Produce the day's digest just after arXiv's announcement (Sunday to Thursday, 20:00 New York)",
      schedule: ScheduleExpression.cron({ minute: '20', hour: '20', weekDay: 'SUN-THU', timeZone: TimeZone.of(ANNOUNCEMENT_ZONE) }),
      target: new LambdaInvoke(ingestScheduled, { retryAttempts: 2 }),
    });
  }
  const onReady = new events.Rule(stack, 'OnDigestReady', { eventBus: bus, eventPattern: { source: [EVENT_SOURCE], detailType: [DIGEST_READY] } });
  const eventDlq = new Queue(stack, 'EventDeadLetters', { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  ack(eventDlq, 'SQS3', 'This is the dead-letter queue.');
  onReady.addTarget(new LambdaFunction(publish, { retryAttempts: 4, deadLetterQueue: eventDlq }));
  onReady.addTarget(new LambdaFunction(planSend, { retryAttempts: 4, deadLetterQueue: eventDlq }));
  // Once a day the planner also mails the weekly readers whose day it is (the seven days before).
  new events.Rule(stack, 'WeeklyMail', {
    description: 'Paperboy: the weekly mail of the readers whose day it is',
    schedule: events.Schedule.cron({ minute: '0', hour: '12' }),
    targets: [new LambdaFunction(planSend, { retryAttempts: 4, deadLetterQueue: eventDlq })],
  });
  // The reputation rates are read back every hour too, so their alarms stay on while a rate is high.
  new events.Rule(stack, 'ReputationHourly', {
    description: 'Paperboy: the rolling 24-hour bounce and complaint rates, every hour',
    schedule: events.Schedule.rate(Duration.hours(1)),
    targets: [new LambdaFunction(bounces, { retryAttempts: 2 })],
  });
  // Late abstracts or translations: feeds and pages again, never the mail.
  const onUpdated = new events.Rule(stack, 'OnDigestUpdated', { eventBus: bus, eventPattern: { source: [EVENT_SOURCE], detailType: [DIGEST_UPDATED] } });
  onUpdated.addTarget(new LambdaFunction(publish, { retryAttempts: 4, deadLetterQueue: eventDlq }));
  return { eventDlq };
}
