import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonCall {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/**
 * Answers the two AWS JSON-protocol calls no emulator here covers — EventBridge PutEvents and SQS
 * SendMessageBatch — as the services do, and records them, so bundled handlers can be run end to end.
 */
export async function startAwsJsonStub(): Promise<{ url: string; calls: JsonCall[]; stop(): Promise<void> }> {
  const calls: JsonCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ target, body });
      let answer: unknown;
      if (target === 'AWSEvents.PutEvents') answer = { FailedEntryCount: 0, Entries: (body.Entries as unknown[]).map((_, i) => ({ EventId: `event-${calls.length}-${i}` })) };
      else if (target === 'AmazonSQS.SendMessageBatch') answer = { Successful: (body.Entries as { Id: string; MessageBody: string }[]).map((e) => ({ Id: e.Id, MessageId: `msg-${e.Id}`, MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') })), Failed: [] };
      else {
        res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'UnknownOperationException', message: target }));
        return;
      }
      res.writeHead(200, { 'Content-Type': target.startsWith('AmazonSQS') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
