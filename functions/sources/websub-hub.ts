/**
 * Tells a WebSub hub which feeds changed, so subscribed readers get them pushed instead of polling.
 * The publish ping is the hub convention (`hub.mode=publish`, one `hub.url` per topic), sent as one
 * form POST per feed; a hub that fails is reported, never a reason to fail the publish.
 */
export interface HubPingResult {
  readonly pinged: number;
  readonly failed: readonly { topic: string; reason: string }[];
}

export async function pingHub(hub: string, topics: readonly string[], fetchImpl: typeof fetch = fetch, timeoutMs = 10_000): Promise<HubPingResult> {
  const failed: { topic: string; reason: string }[] = [];
  for (const topic of topics) {
    try {
      const res = await fetchImpl(hub, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel();
      // Hubs answer 204 No Content (WebSub) or 202/200 (older PubSubHubbub hubs).
      if (!res.ok) failed.push({ topic, reason: `HTTP ${res.status}` });
    } catch (err) {
      failed.push({ topic, reason: (err as Error).message });
    }
  }
  return { pinged: topics.length - failed.length, failed };
}
