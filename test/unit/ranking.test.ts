import { describe, expect, it } from 'vitest';
import { papersOf, type Paper } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import type { RankInput } from '../../functions/domain/ranking/features.ts';
import { DEFAULT_RANKER, rankPapers, trainReaderSvm } from '../../functions/domain/ranking/rank.ts';
import { score, type IndexedVector } from '../../functions/domain/ranking/linear-svm.ts';
import { indexDay, reasonsFor, reasonTitles, scoreDay, trainReaderModel, unpackTerms } from '../../functions/domain/ranking/reader-model.ts';
import { fixtureText } from '../support/fixtures.ts';

const dayPapers = (date: string): Paper[] => papersOf(parseDigest(fixtureText(date), `${date}.md`).digest);
// The ranker gets no category: only the test knows what the reader follows.
const input = (p: Paper): RankInput => ({ id: p.arxivId, title: p.titleEn, abstract: p.abstractEn, authors: p.authors });

const history = ['2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29', '2024-02-04', '2024-02-05'].flatMap(dayPapers);
const today = dayPapers('2024-03-04');

/** A reader of generative models who saved five of them in January and February. */
const savedPapers = history.filter((p) => p.category === 'generative').filter((_, i) => i % 3 === 0).slice(0, 5);
const savedIds = new Set(savedPapers.map((p) => p.arxivId));
const training = { saved: savedPapers.map(input), notForMe: [], passedOver: history.filter((p) => !savedIds.has(p.arxivId)).map(input) };
const theirs = new Set(today.filter((p) => p.category === 'generative').map((p) => p.arxivId));

describe('ranking a day for a reader from five saved papers', () => {
  it('puts the reader’s topic first: most of the top ten, against a tenth by chance', () => {
    expect(savedPapers).toHaveLength(5);
    const share = theirs.size / today.length;
    const top = rankPapers(training, today.map(input)).slice(0, 10);
    expect(top.filter((s) => theirs.has(s.id)).length).toBeGreaterThanOrEqual(6);
    expect(share).toBeLessThan(0.35);
  });

  it('ranks the same with the stored model as with the day in view, and the model fits a profile', () => {
    const model = trainReaderModel(training);
    expect(model).not.toBeNull();
    const bytes = model!.packed.byteLength + Buffer.byteLength(JSON.stringify({ bias: model!.bias, scale: model!.scale, saved: model!.saved }));
    expect(bytes).toBeLessThanOrEqual(10 * 1024);
    const day = indexDay(today.map(input));
    const top = scoreDay(model!, day, 10);
    expect(top.filter((s) => theirs.has(s.id)).length).toBeGreaterThanOrEqual(6);
    // The mail asks for ten; a partial selection gives the full order's first ten.
    expect(top.map((s) => s.id)).toEqual(scoreDay(model!, day).slice(0, 10).map((s) => s.id));
    // Papers left out (the reader's saved ones) are in neither, and the next ones move up in the same order.
    const except = new Set(top.slice(0, 3).map((s) => s.id));
    const rest = scoreDay(model!, day, 10, except).map((s) => s.id);
    expect(rest).toEqual(scoreDay(model!, day).map((s) => s.id).filter((id) => !except.has(id)).slice(0, 10));
    expect(rest.slice(0, 7)).toEqual(top.slice(3).map((s) => s.id));
    expect(scoreDay(model!, day, 0)).toEqual([]);
  });

  it('scores a model stored in an older order (strongest first) as it scores the same model in hash order', () => {
    const model = trainReaderModel(training)!;
    const { weights } = unpackTerms(model);
    const terms = Array.from({ length: weights.length }, (_, i) => i).sort((a, b) => Math.abs(weights[b]!) - Math.abs(weights[a]!));
    const older = new Uint8Array(model.packed.length);
    terms.forEach((t, k) => older.set(model.packed.subarray(t * 5, t * 5 + 5), k * 5));
    expect(older).not.toEqual(model.packed);
    const day = indexDay(today.map(input));
    const now = scoreDay(model, day);
    const before = scoreDay({ ...model, packed: older }, day);
    expect(before.map((s) => s.id)).toEqual(now.map((s) => s.id));
    before.forEach((s, i) => expect(s.score).toBeCloseTo(now[i]!.score, 9));
  });

  it('gives each recommended paper a saved paper it is like, never itself', () => {
    const model = trainReaderModel(training)!;
    const day = indexDay(today.map(input));
    const top = scoreDay(model, day, 10).map((s) => s.id);
    const reasons = reasonsFor(model, day, top);
    expect(reasons.size).toBeGreaterThanOrEqual(8);
    for (const [id, like] of reasons) {
      expect(like.id).not.toBe(id);
      expect(savedIds.has(like.id)).toBe(true);
      expect(savedPapers.find((p) => p.arxivId === like.id)?.titleEn.startsWith(like.title)).toBe(true);
    }
    // What the mail writes ("like ‹title›") is the same saved paper's title, for the same papers.
    expect(reasonTitles(model, day, top)).toEqual(new Map([...reasons].map(([id, like]) => [id, like.title])));
  });

  it('stores its weights compactly and reads them back within the quantisation', () => {
    const model = trainReaderModel(training)!;
    const { features, weights } = unpackTerms(model);
    expect(features.length).toBe(model.packed.length / 5);
    expect(features.every((f) => f <= 0xffffff)).toBe(true);
    // In hash order (scoring's reads move forward through the day's sorted features).
    for (let i = 1; i < features.length; i++) expect(features[i - 1]!).toBeLessThanOrEqual(features[i]!);
    // Each weight a whole number of 16-bit steps of `scale`, the strongest at the top of the range.
    for (const w of weights) expect(Math.abs(Math.round(w / model.scale) - w / model.scale)).toBeLessThan(1e-6);
    expect(Math.max(...weights.map(Math.abs)) / model.scale).toBeCloseTo(32767, 3);
  });

  it('learns from “not for me”: a refused paper’s close neighbours drop', () => {
    const day = today.map(input);
    const before = rankPapers(training, day);
    const refusedId = before[0]!.id;
    const refused = day.find((p) => p.id === refusedId)!;
    const after = rankPapers({ ...training, notForMe: [refused] }, day);
    expect(after.findIndex((s) => s.id === refusedId)).toBeGreaterThan(0);
  });

  it('without a saved paper there is no model', () => {
    expect(trainReaderModel({ saved: [], notForMe: [], passedOver: training.passedOver })).toBeNull();
  });

  it('takes the passed-over papers a first model still scores highest for missed, not refused, and trains again without them', () => {
    const row = (features: number[]): IndexedVector => ({ idx: Int32Array.from(features), val: Float64Array.from(features, () => 1 / Math.sqrt(features.length)) });
    const saved = [row([0, 1]), row([0, 2]), row([1, 2])];
    const refused = Array.from({ length: 8 }, (_, i) => row([3 + (i % 4), 7 + (i % 3)]));
    // Two papers just like the saved ones that the reader scrolled past: 2 of the 10 passed over is the 20% the second step leaves out.
    const missed = [row([0, 1]), row([0, 2])];
    const passed = [...refused.slice(0, 4), missed[0]!, ...refused.slice(4), missed[1]!];
    const once = trainReaderSvm(saved, passed, [], 10, { ...DEFAULT_RANKER, refineShare: 0 });
    const twice = trainReaderSvm(saved, passed, [], 10, DEFAULT_RANKER);
    const withoutMissed = trainReaderSvm(saved, [...refused], [], 10, { ...DEFAULT_RANKER, refineShare: 0 });
    expect(Array.from(twice.w)).toEqual(Array.from(withoutMissed.w));
    expect(twice.bias).toBe(withoutMissed.bias);
    // A new paper on the reader's topic scores higher once the missed papers no longer count against it.
    const like = row([0, 1, 2]);
    expect(score(twice, like)).toBeGreaterThan(score(once, like));
    expect(score(twice, like)).toBeGreaterThan(0);
  });
});
