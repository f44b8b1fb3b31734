import { join } from 'node:path';
import { DEFAULT_EVAL, evaluateRanking, formatEvalLine, readEvalDays } from './ranking/evaluate.ts';

/** npm run eval-ranking -- [DIR]: simulated readers over a folder of digest days with abstracts (issue 34.6). */
const USAGE = `npm run eval-ranking -- [--seed N] [DIR]
Ranks each day of DIR (default: the fixture days, test/fixtures/digests) for simulated readers and
prints AUC and P@10 of Paperboy's ranker, the arxiv-sanity baseline and random order, for k = 5 and 20.
--seed N draws other simulated readers of the same days (default ${DEFAULT_EVAL.seed}).`;
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
let seed = DEFAULT_EVAL.seed;
const seedAt = args.indexOf('--seed');
if (seedAt >= 0) {
  const given = args[seedAt + 1];
  if (given === undefined || !/^\d{1,9}$/.test(given)) {
    console.error(`eval-ranking: --seed needs a whole number, got ${given === undefined ? 'nothing' : JSON.stringify(given)} (npm run eval-ranking -- --help)`);
    process.exit(2);
  }
  seed = Number(given);
  args.splice(seedAt, 2);
}
const unknown = args.find((a) => a.startsWith('-'));
if (unknown || args.length > 1) {
  console.error(`eval-ranking: ${unknown ? `unknown option ${unknown}` : 'one folder at most'} (npm run eval-ranking -- --help)`);
  process.exit(2);
}
const dir = args[0] ?? join(import.meta.dirname, '..', 'test', 'fixtures', 'digests');
const days = readEvalDays(dir);
if (days.length < DEFAULT_EVAL.minHistoryDays + 1) {
  console.error(`${dir}: ${days.length} day(s) with abstracts; the evaluation needs at least ${DEFAULT_EVAL.minHistoryDays + 1}`);
  process.exit(2);
}
console.log(`${days.length} days with abstracts in ${dir} (readers drawn with seed ${seed}): ${days[0]?.date} .. ${days.at(-1)?.date}, ${days.reduce((n, d) => n + d.papers.length, 0)} papers`);
for (const line of evaluateRanking(days, { ...DEFAULT_EVAL, seed })) console.log(formatEvalLine(line));
