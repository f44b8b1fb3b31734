import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRandom, type RankInput } from '../../functions/domain/ranking/features.ts';
import { indexDay, reasonTitles, scoreDay, trainReaderModel, type ReaderModel } from '../../functions/domain/ranking/reader-model.ts';
import { evaluateRanking, formatEvalLine, readEvalDays } from '../ranking/evaluate.ts';
import { median } from './stats.ts';

const FIXTURE_DAYS = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'digests');

/** Bytes a model takes in a profile: the packed terms, and the reasons' ids, titles and hashes as JSON. */
const modelBytes = (m: ReaderModel) => m.packed.byteLength + Buffer.byteLength(JSON.stringify({ bias: m.bias, scale: m.scale, saved: m.saved }));

/**
 * The ranking's quality (the eval lines) and cost: training a model on a click, for 5-200 saved
 * papers; its size; and scoring a 250-paper day for 30,000 profiled readers (30% of 100,000), with
 * "For you" reasons for each reader's ten.
 */
export async function benchRanking(): Promise<void> {
  const days = readEvalDays(FIXTURE_DAYS);
  const t0 = performance.now();
  for (const line of evaluateRanking(days)) console.log(formatEvalLine(line));
  console.log(`  (evaluation ${((performance.now() - t0) / 1000).toFixed(1)} s over ${days.length} fixture days with abstracts)`);

  const all: RankInput[] = days.flatMap((d) => d.papers.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract, authors: p.authors })));
  const random = seededRandom(42);
  const models: ReaderModel[] = [];
  const trainMs: Record<number, number[]> = {};
  const warmMs: Record<number, number[]> = {};
  // A warm API container keeps the recent days' term counts: a second click only tokenises the new paper.
  const cache = new Map();
  const sizes: number[] = [];
  for (const saved of [5, 20, 50, 100, 200]) {
    for (let r = 0; r < 8; r++) {
      const start = Math.floor(random() * (all.length - saved));
      const chosen = all.slice(start, start + saved);
      const ids = new Set(chosen.map((p) => p.id));
      // A reader's clicks train on what they saved and the last days' papers they were mailed.
      const passedOver = all.slice(Math.max(0, start - 300), start + saved + 300).filter((p) => !ids.has(p.id));
      const t = performance.now();
      const model = trainReaderModel({ saved: chosen, notForMe: [], passedOver }, undefined, undefined, cache);
      (trainMs[saved] ??= []).push(performance.now() - t);
      const w = performance.now();
      trainReaderModel({ saved: chosen, notForMe: [], passedOver }, undefined, undefined, cache);
      (warmMs[saved] ??= []).push(performance.now() - w);
      if (model) (models.push(model), sizes.push(modelBytes(model)));
    }
  }
  console.log(`training on a click, first in a container: ${Object.entries(trainMs).map(([k, ms]) => `${k} saved ${median(ms).toFixed(0)} ms`).join(', ')} (median of 8)`);
  console.log(`training on a click, days' terms cached: ${Object.entries(warmMs).map(([k, ms]) => `${k} saved ${median(ms).toFixed(0)} ms`).join(', ')}`);
  console.log(`model size: median ${(median(sizes) / 1024).toFixed(1)} KB, largest ${(Math.max(...sizes) / 1024).toFixed(1)} KB (limit 10 KB)`);

  const day = all.slice(0, 250);
  const readers = 30_000;
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const indexed = indexDay(day);
  let reasons = 0;
  for (let i = 0; i < readers; i++) {
    const model = models[i % models.length]!;
    const top = scoreDay(model, indexed, 10).map((s) => s.id);
    reasons += reasonTitles(model, indexed, top).size;
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`ranking a 250-paper day for ${readers.toLocaleString('en')} profiled readers (30% of 100k), ten each with a reason: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ${((performance.now() - t1) / 1000).toFixed(2)} s wall, ${(reasons / readers).toFixed(1)} reasons a reader, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
}
