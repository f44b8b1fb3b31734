import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** cdk-nag finding ids are `Pack::Rule[finding]`; every acknowledgement carries a reason. */
export function ack(scope: Construct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
}
