import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type PaperboyEvent } from '../domain/events.ts';
import { type EventSink } from '../domain/ports/event-sink.ts';

export class EventBridgeSink implements EventSink {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async emit(event: PaperboyEvent): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: this.busName, Source: EVENT_SOURCE, DetailType: event.type, Detail: JSON.stringify(event) }],
      }),
    );
    if (out.FailedEntryCount) throw new Error(`EventBridge refused ${event.type} for ${event.date}: ${out.Entries?.[0]?.ErrorMessage}`);
  }
}
