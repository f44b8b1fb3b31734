import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { Mailer, MessageTag } from '../domain/ports/mailer.ts';

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async sendRaw(raw: Buffer, to: string, tags: readonly MessageTag[] = []): Promise<string> {
    const out = await this.client.send(
      new SendRawEmailCommand({
        RawMessage: { Data: raw },
        Source: this.from,
        Destinations: [to],
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        ...(tags.length ? { Tags: tags.map((t) => ({ Name: t.name, Value: t.value })) } : {}),
      }),
    );
    return out.MessageId ?? '';
  }
}
