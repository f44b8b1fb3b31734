import { agreement, DEFAULT_LEARN, learnRules } from './learn-rules.ts';
import type { KeywordModel } from '../../functions/domain/classifier/keyword-rules.ts';
import { heldOutDays, type LabelledDay, RULE_ORDER } from './training-set.ts';

/** Category names as the publisher printed them last, by slug. */
export function namesOf(days: readonly LabelledDay[]): Record<string, string> {
  return Object.assign({}, ...days.map((d) => d.names));
}

export function trainOn(days: readonly LabelledDay[]): KeywordModel {
  const papers = days.flatMap((d) => d.papers);
  return learnRules(papers, {
    ...DEFAULT_LEARN,
    order: RULE_ORDER,
    names: namesOf(days),
    trainedOn: { days: days.map((d) => d.date), papers: papers.length },
  });
}

export interface HeldOutReport {
  readonly days: readonly string[];
  readonly papers: number;
  readonly agreed: number;
  readonly perCategory: Record<string, { papers: number; agreed: number }>;
  /** Each held-out day's figures: the bench splits them by era. */
  readonly perDay: readonly { readonly date: string; readonly papers: number; readonly agreed: number }[];
}

/**
 * Agreement with the publisher on days the rules never saw: each held-out day in turn is left out,
 * the rules are learned from all the others, and that day's papers are classified from their title
 * and abstract, as the producer will classify new papers.
 */
export function leaveOneDayOut(days: readonly LabelledDay[]): HeldOutReport {
  const perCategory: Record<string, { papers: number; agreed: number }> = {};
  let papers = 0;
  let agreed = 0;
  const held = heldOutDays(days);
  const perDay: { date: string; papers: number; agreed: number }[] = [];
  for (const day of held) {
    const model = trainOn(days.filter((d) => d.date !== day.date));
    const r = agreement(model, day.papers);
    perDay.push({ date: day.date, papers: r.papers, agreed: r.agreed });
    papers += r.papers;
    agreed += r.agreed;
    for (const [slug, row] of Object.entries(r.perCategory)) {
      const total = (perCategory[slug] ??= { papers: 0, agreed: 0 });
      total.papers += row.papers;
      total.agreed += row.agreed;
    }
  }
  return { days: held.map((d) => d.date), papers, agreed, perCategory, perDay };
}
