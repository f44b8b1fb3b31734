import { ArnFormat } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { PaperboyConfig } from '../config.ts';
import { ack } from './ack.ts';
import type { PaperboyStack } from '../paperboy-stack.ts';

/** Where alarms go: an SNS topic, with an e-mail subscription when the operator gave an address. */
export function alarmTopicFor(stack: PaperboyStack, config: PaperboyConfig) {
  // Alarms go to an SNS topic, with an e-mail subscription when the operator gave an address.
  const alarmTopic = new Topic(stack, 'Alarms', { enforceSSL: true });
  if (config.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
  // enforceSSL gives the topic a policy of its own, which replaces SNS's default: CloudWatch needs an explicit Allow.
  alarmTopic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [alarmTopic.topicArn],
      conditions: { ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) }, StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );
  const alarmAction = new SnsAction(alarmTopic);
  ack(alarmTopic, 'SNS2', 'Alarm notifications carry no data beyond alarm names; CloudWatch cannot publish to a topic under the AWS-managed SNS key.');
  return alarmAction;
}
