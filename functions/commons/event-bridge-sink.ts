import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DigestReadyEvent, EventSink } from '../domain/events.ts';

export const EVENT_SOURCE = 'paperboy.ingest';
export const DIGEST_READY = 'DigestReady';

export class EventBridgeSink implements EventSink {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async emit(event: DigestReadyEvent): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: this.busName, Source: EVENT_SOURCE, DetailType: DIGEST_READY, Detail: JSON.stringify(event) }],
      }),
    );
    if (out.FailedEntryCount) throw new Error(`EventBridge refused DigestReady for ${event.date}: ${out.Entries?.[0]?.ErrorMessage}`);
  }
}
