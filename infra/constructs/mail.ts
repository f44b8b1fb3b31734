import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { PaperboyConfig } from '../config.ts';
import { ack } from './ack.ts';
import type { PaperboyStack } from '../paperboy-stack.ts';

/** SES: the configuration set and its event topics, the sending identity, and the one permission to send. */
export function mailResources(stack: PaperboyStack, config: PaperboyConfig) {
  const configurationSet = new ses.ConfigurationSet(stack, 'MailConfig', {
    reputationMetrics: true,
    suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
  });
  const feedback = new Topic(stack, 'MailFeedback', { enforceSSL: true });
  ack(feedback, 'SNS2', 'SES event destinations cannot publish to a topic under the AWS-managed SNS key; messages hold only addresses already in the subscriber table.');
  configurationSet.addEventDestination('BouncesAndComplaints', {
    destination: ses.EventDestination.snsTopic(feedback),
    events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
  });
  // SES's own record of each newsletter it accepted, tagged with day and attempt: a sender that dies
  // after SES took a mail leaves a claim the reconciler turns into "sent", so it is never resent.
  const sends = new Topic(stack, 'MailSends', { enforceSSL: true });
  ack(sends, 'SNS2', 'SES event destinations cannot publish to a topic under the AWS-managed SNS key; messages hold only addresses already in the subscriber table.');
  configurationSet.addEventDestination('Sends', {
    destination: ses.EventDestination.snsTopic(sends),
    events: [ses.EmailSendingEvent.SEND],
  });
  const identity = config.existing.sesIdentity ? null : new ses.EmailIdentity(stack, 'SenderDomain', { identity: ses.Identity.domain(config.senderDomain), configurationSet });
  // In the SES sandbox, SES also checks the permission on the (verified) recipient's identity, so a
  // policy on the sender's identity alone fails the operator's first test mail with AccessDenied.
  // Any identity of this account and region, but only ever From the configured address.
  const sendRaw = new PolicyStatement({
    effect: Effect.ALLOW,
    actions: ['ses:SendRawEmail'],
    resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }), stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName })],
    conditions: { StringEquals: { 'ses:FromAddress': config.senderAddress } },
  });
  return { configurationSet, feedback, sends, identity, sendRaw };
}

export type MailResources = ReturnType<typeof mailResources>;
