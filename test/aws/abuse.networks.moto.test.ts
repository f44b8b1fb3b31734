import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIELDS, formToken } from '../../functions/domain/abuse/human-proof.ts';
import { DEFAULT_SUBSCRIBE_LIMITS } from '../../functions/domain/abuse/subscribe-limits.ts';
import { createApi } from '../../functions/app/subscription/api.ts';
import { DynamoCounters } from '../../functions/storage/dynamo-counters.ts';
import { DynamoSubscriberStore } from '../../functions/storage/subscriber-store.ts';
import { createPaperboyTables } from '../../scripts/local/dynamo-emulator.ts';
import { motoClientConfig } from '../../scripts/local/moto-server.ts';
import { motoEndpoint } from '../support/moto.ts';

/**
 * Issue 29.7 with the deployed limits, on DynamoDB (moto_server): the budgets are conditional
 * writes, so their bound is DynamoDB's. The attacker uses the cheapest proof there is (the
 * no-JavaScript form token, after the fill time), as many as it likes, over a whole hour.
 */
const SECRET = 'networks-secret';
const PROOF = { cost: 1, counterMin: 1, counterMax: 4, minFillSeconds: 4 };

let dynamo: DynamoDBClient;
beforeAll(() => {
  dynamo = new DynamoDBClient(motoClientConfig(motoEndpoint()));
});

async function apiAt(clock: { now: Date }) {
  const names = { subscribersTable: `subs-${randomBytes(4).toString('hex')}`, deliveriesTable: `del-${randomBytes(4).toString('hex')}`, limitsTable: `lim-${randomBytes(4).toString('hex')}` };
  await createPaperboyTables(dynamo, names);
  const mailed: string[] = [];
  const api = createApi({
    store: new DynamoSubscriberStore(dynamo, names.subscribersTable),
    counters: new DynamoCounters(dynamo, names.limitsTable),
    mailer: { sendRaw: async (_raw, to) => (mailed.push(to), `m-${mailed.length}`) },
    config: { apiUrl: 'https://paperboy.test/api', tokenSecret: SECRET, from: 'Paperboy <digest@paperboy.test>', postalAddress: '1 Example Street', limits: DEFAULT_SUBSCRIBE_LIMITS, proof: PROOF },
    now: () => clock.now,
  });
  /** A subscribe request as a browser without JavaScript sends it: the form's token, posted after the fill time. */
  const subscribe = async (email: string, ip: string) => {
    const token = formToken(SECRET, new Date(clock.now.getTime() - 5000));
    const body = new URLSearchParams({ email, lang: 'en', categories: 'all', [FIELDS.formToken]: token }).toString();
    return (await api({ method: 'POST', path: '/subscribe', query: new URLSearchParams(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, ip })).status;
  };
  return { subscribe, mailed };
}

describe('budgets per network and per mailbox (moto)', () => {
  it('an attacker on one /24 and one /64 for a whole hour: a reader from another network subscribes and gets the mail in that hour', async () => {
    const clock = { now: new Date('2026-12-01T10:00:00Z') };
    const { subscribe, mailed } = await apiAt(clock);
    let n = 0;
    // Three requests every three minutes from each network (60 an hour each, twice the hour's whole
    // budget), for strangers' addresses, from the first minute of the hour to the last.
    for (let minute = 0; minute < 60; minute += 3) {
      clock.now = new Date(Date.parse('2026-12-01T10:00:00Z') + minute * 60_000);
      for (let i = 0; i < 3; i++) {
        await subscribe(`stranger${n++}@victims.example`, `203.0.113.${(n % 250) + 1}`);
        await subscribe(`stranger${n++}@victims.example`, `2001:db8:1:2::${(n % 9000).toString(16)}`);
      }
      if (minute === 57) expect(await subscribe('reader@example.net', '198.51.100.7')).toBe(202);
    }
    const attackers = mailed.filter((to) => to.endsWith('@victims.example'));
    // A tenth of the deployed 30 an hour, per network.
    expect(attackers.length).toBeLessThanOrEqual(6);
    expect(mailed).toContain('reader@example.net');
    // (A few hundred conditional writes on a moto_server the other suites share: room to finish.)
  }, 180_000);

  it('100 plus-address variants of one inbox: at most 3 mails to that mailbox in a day', async () => {
    const clock = { now: new Date('2026-12-01T00:30:00Z') };
    const { subscribe, mailed } = await apiAt(clock);
    for (let i = 0; i < 100; i++) {
      // Spread over the day and over networks, so no hourly or network limit is what stops them.
      clock.now = new Date(Date.parse('2026-12-01T00:30:00Z') + i * 13 * 60_000);
      await subscribe(`victim+${i}@example.org`, `198.${18 + (i % 2)}.${i}.${i + 1}`);
    }
    expect(mailed.filter((to) => to.startsWith('victim+')).length).toBe(3);
  }, 180_000);
});
