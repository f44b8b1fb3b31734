import { describe, expect, it } from 'vitest';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { preferencesUrl } from '../../functions/domain/subscribers/links.ts';
import { solvedAltcha } from '../../scripts/local/subscribe-client.ts';
import { fixtureBytes, relabelledBytes } from '../support/fixtures.ts';
import { form, mailsTo, motoStack, post } from '../support/moto-stack.ts';

/**
 * Issue 29.6, on the local stack with the ledger on DynamoDB (moto_server): switching between daily
 * and weekly mail on the day of a send. Each day's papers reach the reader exactly once, and no day
 * is mailed twice. The week of Saturday 2024-10-05 has two mailed days: 2024-10-01 and 2024-10-04.
 */
const EARLY = '2024-10-01';
const LATE = '2024-10-04';
const SATURDAY = '2024-10-05';
const local = motoStack('switch', 'switch-secret');
const idsOf = (html: string) => new Set([...html.matchAll(/<h3[^>]*><a href="https:\/\/arxiv\.org\/abs\/([0-9.]+)/g)].map((m) => m[1] ?? ''));
const earlyIds = new Set(papersOf(parseDigest(relabelledBytes('2024-09-27', EARLY), `${EARLY}.md`).digest).map((p) => p.arxivId));
const lateIds = new Set(papersOf(parseDigest(fixtureBytes(LATE), `${LATE}.md`).digest).map((p) => p.arxivId));

async function reader(email: string): Promise<(frequency: string) => Promise<void>> {
  expect((await post(`${local.stack.apiUrl}/subscribe`, form({ email, lang: 'en', categories: 'all', altcha: await solvedAltcha(local.stack.apiUrl) }))).status).toBe(202);
  const confirmMail = mailsTo(await local.stack.ses.mails(), email).find((m) => m.subject.startsWith('Confirm'));
  const link = /https?:\/\/\S+\/api\/confirm\?token=[^\s"<>]+/.exec(confirmMail?.body.text ?? '')?.[0] ?? '';
  expect((await fetch(link, { method: 'POST' })).status).toBe(200);
  return async (frequency) => {
    const sub = await local.stack.subscribers.get(email);
    const saved = await post(preferencesUrl(local.stack.senderConfig, email, sub?.tokenGeneration ?? 1, new Date()), form({ categories: 'all', lang: 'en', frequency, do: 'save' }));
    expect(await saved.text()).toContain('Saved.');
  };
}

describe('switching between daily and weekly mail', () => {
  it('daily → weekly on the weekly day: the week’s mail leaves out the day already mailed; weekly → daily after planning: the days owed come once', async () => {
    const toWeekly = await reader('to.weekly@example.com');
    const toDaily = await reader('to.daily@example.com');
    await toDaily('6');
    await local.stack.ses.clear();

    await local.stack.ingest({ bytes: relabelledBytes('2024-09-27', EARLY), source: `${EARLY}.md` });
    await local.stack.send(EARLY);
    await local.stack.ingest({ bytes: fixtureBytes(LATE), source: `${LATE}.md` });
    await local.stack.send(LATE);
    // The daily reader had both days; the weekly one neither.
    expect(mailsTo(await local.stack.ses.mails(), 'to.weekly@example.com')).toHaveLength(2);
    expect(mailsTo(await local.stack.ses.mails(), 'to.daily@example.com')).toHaveLength(0);

    // Both switch after the day's plan ran: one to weekly on Saturday, one back to daily.
    await toWeekly('6');
    await toDaily('daily');
    expect((await local.stack.subscribers.get('to.daily@example.com'))?.catchUp).toBe(true);
    await local.stack.ses.clear();
    await local.stack.sendWeek(SATURDAY);
    // The new weekly reader already had every paper of the week: no second mail of them.
    expect(mailsTo(await local.stack.ses.mails(), 'to.weekly@example.com')).toHaveLength(0);
    // The new daily reader gets what was owed, once: both days, each id once.
    const owed = mailsTo(await local.stack.ses.mails(), 'to.daily@example.com');
    expect(owed).toHaveLength(1);
    const shown = idsOf(owed[0]?.body.html ?? '');
    expect(shown).toEqual(new Set([...earlyIds, ...lateIds]));
    expect((await local.stack.subscribers.get('to.daily@example.com'))?.catchUp).toBeUndefined();

    // Planned again (a retried schedule), and the next day's schedule: nothing more for either.
    await local.stack.sendWeek(SATURDAY);
    await local.stack.sendWeek('2024-10-06');
    expect(mailsTo(await local.stack.ses.mails(), 'to.daily@example.com')).toHaveLength(1);
    expect(mailsTo(await local.stack.ses.mails(), 'to.weekly@example.com')).toHaveLength(0);
  });

  it('daily → weekly after one of the week’s days: the weekly mail holds only the day not yet mailed', async () => {
    const email = 'half.week@example.com';
    const toWeekly = await reader(email);
    await local.stack.ses.clear();
    // Subscribed after both days went out; a re-run of 2024-10-04 mails only whoever has not had it: this reader.
    await local.stack.send(LATE);
    expect(mailsTo(await local.stack.ses.mails(), email)).toHaveLength(1);
    await toWeekly('6');
    await local.stack.ses.clear();
    await local.stack.sendWeek(SATURDAY);
    const mails = mailsTo(await local.stack.ses.mails(), email);
    expect(mails).toHaveLength(1);
    const shown = idsOf(mails[0]?.body.html ?? '');
    const onlyEarly = [...earlyIds].filter((id) => !lateIds.has(id));
    expect(shown).toEqual(new Set(onlyEarly));
    // The week had two mailed days: the mail says why (issue 32.4), in the HTML and the text part.
    const why = 'No arXiv listing on Sat 28 Sep and Sun 29 Sep (weekend). No digest came in for Mon 30 Sep, Wed 2 Oct and Thu 3 Oct.';
    expect(mails[0]?.body.html).toContain(`<span lang="en">${why}</span>`);
    expect((mails[0]?.body.text ?? '').replace(/\s+/g, ' ')).toContain(why);
  });
});
