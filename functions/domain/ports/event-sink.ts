import type { PaperboyEvent } from '../events.ts';

/** Where ingest announces a day (EventBridge in AWS: messaging/event-bridge-sink.ts; in memory locally). */
export interface EventSink {
  emit(event: PaperboyEvent): Promise<void>;
}
