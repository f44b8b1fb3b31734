import { classifiedCategory } from './categories.ts';
import type { RecordProblem } from './errors.ts';
import type { Category, Paper, Section } from './model.ts';

export type Report = (line: number, field: string, message: string, severity: RecordProblem['severity']) => void;

/**
 * Collects a digest's papers while either format's parser walks its lines: sections in first-seen
 * order, one paper per arXiv id (a repeat is that record's error), and the record counts the
 * quarantine policy judges.
 */
export class DigestBuilder {
  readonly problems: RecordProblem[] = [];
  records = 0;
  skipped = 0;
  /** Whether the last record seen was skipped: with no final line feed, the file was cut inside it. */
  lastSkipped = false;
  private readonly sections = new Map<string, { category: Category; papers: Paper[] }>();
  private readonly seenIds = new Map<string, number>();

  constructor(private readonly file: string) {}

  readonly report: Report = (line, field, message, severity) => {
    this.problems.push({ file: this.file, line, field, message, severity });
  };

  /** A record was seen; `paper` is null when its problems were already reported as errors. */
  add(line: number, category: Category | null, paper: Paper | null): void {
    this.lastSkipped = !paper || !category;
    if (!paper || !category) {
      this.skipped++;
      return;
    }
    const firstLine = this.seenIds.get(paper.arxivId);
    if (firstLine !== undefined) {
      this.skipped++;
      this.report(line, 'PDF', `arXiv id ${paper.arxivId} already listed at line ${firstLine}`, 'error');
      return;
    }
    this.seenIds.set(paper.arxivId, line);
    // A section whose name the taxonomy does not map is filed paper by paper, as the producer's classifier files arXiv's papers.
    if (!category.known) {
      category = classifiedCategory(paper);
      paper = { ...paper, category: category.slug };
    }
    let section = this.sections.get(category.slug);
    if (!section) {
      section = { category, papers: [] };
      this.sections.set(category.slug, section);
    }
    section.papers.push(paper);
  }

  /** Papers so far in the section of `category`; a table's rows are numbered by it. */
  countIn(category: Category): number {
    return this.sections.get(category.slug)?.papers.length ?? 0;
  }

  /**
   * The sections in the order the day printed them (the classifier learns from it); readers get
   * them in the taxonomy's one order (`inTaxonomy`, as a stored day is read).
   */
  build(): Section[] {
    return [...this.sections.values()].filter((s) => s.papers.length > 0);
  }
}
