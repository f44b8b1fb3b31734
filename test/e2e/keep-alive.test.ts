import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startFunctionUrl } from '../../scripts/local/api-server.ts';
import { startLocalDynamo } from '../../scripts/local/dynamo-emulator.ts';
import { startLocalSes } from '../../scripts/local/ses-emulator.ts';

/** GET through `agent`: the status, and whether the request went out on a socket kept from the one before. */
function get(agent: Agent, url: string): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the local servers', () => {
  // Node's servers drop a connection after 5 s of quiet; a client reusing it at that moment gets
  // ECONNRESET (a mail SES would have taken fails). The servers leave idle connections to the clients.
  it('keep a keep-alive connection open through 6 s of quiet, so a client reusing it never races a close', async () => {
    const api = await startFunctionUrl(async () => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' }));
    const ses = await startLocalSes();
    const dynamo = await startLocalDynamo();
    try {
      const urls = [`${api.url}/api/status`, ses.mailboxUrl, dynamo.endpoint];
      const agents = urls.map(() => new Agent({ keepAlive: true, maxSockets: 1, timeout: 60_000 }));
      const first = await Promise.all(urls.map((u, i) => get(agents[i]!, u)));
      expect(first.map((r) => r.status > 0)).toEqual([true, true, true]);
      await new Promise((r) => setTimeout(r, 6000));
      const second = await Promise.all(urls.map((u, i) => get(agents[i]!, u)));
      expect(second.map((r) => r.reused)).toEqual([true, true, true]);
      for (const a of agents) a.destroy();
    } finally {
      await Promise.all([api.stop(), ses.stop(), dynamo.stop()]);
    }
  }, 30_000);
});
