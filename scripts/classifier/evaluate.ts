import { agreement, DEFAULT_LEARN, learnRules } from './learn-rules.ts';
import type { KeywordModel } from '../../functions/domain/classifier/keyword-rules.ts';
import { heldOutDays, type LabelledDay, RULE_ORDER } from './training-set.ts';
import { extendModel, learnExtension, SCHEME_2024_PARENT } from './taxonomy-extension.ts';

/** Category names as the publisher printed them last, by slug. */
export function namesOf(days: readonly LabelledDay[]): Record<string, string> {
  return Object.assign({}, ...days.map((d) => d.names));
}

/** The 2024 rules learned from `days`, extended by the taxonomy's own categories learned from `later` (and seeded). */
export function trainOn(days: readonly LabelledDay[], later: readonly LabelledDay[] = []): KeywordModel {
  const papers = days.flatMap((d) => d.papers);
  const rules2024 = learnRules(papers, {
    ...DEFAULT_LEARN,
    order: RULE_ORDER,
    names: namesOf(days),
    trainedOn: { days: days.map((d) => d.date), papers: papers.length },
  });
  return extendModel(rules2024, learnExtension(later.flatMap((d) => d.papers)), later.map((d) => d.date));
}

export interface HeldOutReport {
  readonly days: readonly string[];
  readonly papers: number;
  readonly agreed: number;
  readonly perCategory: Record<string, { papers: number; agreed: number }>;
  /** Each held-out day's figures: the bench splits them by era. */
  readonly perDay: readonly { readonly date: string; readonly papers: number; readonly agreed: number }[];
  /** How often each category was predicted on the held-out days (a category never predicted is never produced). */
  readonly predicted: Record<string, number>;
}

/**
 * Agreement with the publisher on days the rules never saw: each held-out day in turn is left out,
 * the rules are learned from all the others, and that day's papers are classified from their title
 * and abstract, as the producer will classify new papers.
 */
export function leaveOneDayOut(days: readonly LabelledDay[], later: readonly LabelledDay[] = []): HeldOutReport {
  const perCategory: Record<string, { papers: number; agreed: number }> = {};
  let papers = 0;
  let agreed = 0;
  const held = heldOutDays(days);
  const perDay: { date: string; papers: number; agreed: number }[] = [];
  const predicted: Record<string, number> = {};
  for (const day of held) {
    const model = trainOn(days.filter((d) => d.date !== day.date), later);
    const r = agreement(model, day.papers, SCHEME_2024_PARENT);
    perDay.push({ date: day.date, papers: r.papers, agreed: r.agreed });
    for (const [slug, n] of Object.entries(r.predicted)) predicted[slug] = (predicted[slug] ?? 0) + n;
    papers += r.papers;
    agreed += r.agreed;
    for (const [slug, row] of Object.entries(r.perCategory)) {
      const total = (perCategory[slug] ??= { papers: 0, agreed: 0 });
      total.papers += row.papers;
      total.agreed += row.agreed;
    }
  }
  return { days: held.map((d) => d.date), papers, agreed, perCategory, perDay, predicted };
}

/**
 * The later-scheme days held out one at a time: the 2024 rules from every 2024 day, the extension
 * learned from the other later days, each day's papers (titles only) against its mapped labels.
 */
export function laterDaysHeldOut(days: readonly LabelledDay[], later: readonly LabelledDay[]): HeldOutReport {
  const perCategory: Record<string, { papers: number; agreed: number }> = {};
  const predicted: Record<string, number> = {};
  const perDay: { date: string; papers: number; agreed: number }[] = [];
  for (const day of later) {
    const r = agreement(trainOn(days, later.filter((d) => d.date !== day.date)), day.papers);
    perDay.push({ date: day.date, papers: r.papers, agreed: r.agreed });
    for (const [slug, n] of Object.entries(r.predicted)) predicted[slug] = (predicted[slug] ?? 0) + n;
    for (const [slug, row] of Object.entries(r.perCategory)) {
      const total = (perCategory[slug] ??= { papers: 0, agreed: 0 });
      total.papers += row.papers;
      total.agreed += row.agreed;
    }
  }
  return { days: later.map((d) => d.date), papers: perDay.reduce((n, d) => n + d.papers, 0), agreed: perDay.reduce((n, d) => n + d.agreed, 0), perCategory, perDay, predicted };
}
