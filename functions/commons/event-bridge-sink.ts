import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DIGEST_READY, EVENT_SOURCE, type DigestReadyEvent, type EventSink } from '../domain/events.ts';

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
