import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { Mailer } from '../domain/sending/mailer.ts';

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async sendRaw(raw: Buffer, to: string): Promise<string> {
    const out = await this.client.send(
      new SendRawEmailCommand({
        RawMessage: { Data: raw },
        Source: this.from,
        Destinations: [to],
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    return out.MessageId ?? '';
  }
}
