import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeActiveReceiptRuleSetCommand, SESClient } from '@aws-sdk/client-ses';
import { GetAccountCommand, GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AccountFacts, Fact } from './findings.ts';

/** Read-only calls only: nothing here creates, changes or deletes anything. */
export interface GatherOptions {
  readonly region: string;
  readonly senderDomain: string;
  /** Another endpoint for every client (tests point it at moto_server). */
  readonly endpoint?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The CDK bootstrap qualifier (default hnb659fds). */
  readonly qualifier?: string;
}

async function fact<T>(call: () => Promise<T>, onMissing?: (err: Error) => T | undefined): Promise<Fact<T>> {
  try {
    return await call();
  } catch (err) {
    const handled = onMissing?.(err as Error);
    if (handled !== undefined) return handled;
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    const detail = e.name === 'SyntaxError' ? `the endpoint does not implement this call (HTTP ${e.$metadata?.httpStatusCode ?? '?'})` : `${e.name}: ${e.message.split('\n')[0]}`;
    return { unavailable: detail };
  }
}

export async function gatherFacts(o: GatherOptions): Promise<AccountFacts> {
  const config = { region: o.region, ...(o.endpoint ? { endpoint: o.endpoint } : {}), ...(o.credentials ? { credentials: o.credentials } : {}), maxAttempts: 2 };
  const qualifier = o.qualifier ?? 'hnb659fds';
  const [lambdaConcurrency, ses, senderIdentity, receiving, bootstrapVersion] = await Promise.all([
    fact(async () => (await new LambdaClient(config).send(new GetAccountSettingsCommand({}))).AccountLimit?.ConcurrentExecutions ?? 0),
    fact(async () => {
      const a = await new SESv2Client(config).send(new GetAccountCommand({}));
      return { productionAccess: a.ProductionAccessEnabled ?? false, sendingEnabled: a.SendingEnabled ?? false, maxSendRate: a.SendQuota?.MaxSendRate ?? 0, max24HourSend: a.SendQuota?.Max24HourSend ?? 0 };
    }),
    fact(
      async () => {
        const i = await new SESv2Client(config).send(new GetEmailIdentityCommand({ EmailIdentity: o.senderDomain }));
        return { verifiedForSending: i.VerifiedForSendingStatus ?? false, dkimStatus: i.DkimAttributes?.Status ?? 'unknown' };
      },
      (err) => (err.name === 'NotFoundException' ? null : undefined),
    ),
    fact(
      async () => {
        await new SESClient(config).send(new DescribeActiveReceiptRuleSetCommand({}));
        return true;
      },
      // Where SES does not receive mail, its receipt-rule API is not there: the call cannot be resolved or is refused.
      (err) => (/ENOTFOUND|UnknownEndpoint|InvalidAction|UnrecognizedClient|not supported/i.test(`${err.name} ${err.message}`) ? false : undefined),
    ),
    fact(
      async () => Number((await new SSMClient(config).send(new GetParameterCommand({ Name: `/cdk-bootstrap/${qualifier}/version` }))).Parameter?.Value ?? 'NaN'),
      (err) => (err.name === 'ParameterNotFound' ? null : undefined),
    ),
  ]);
  return { region: o.region, lambdaConcurrency, ses, senderIdentity, receiving, bootstrapVersion };
}
