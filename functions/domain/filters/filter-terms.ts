/**
 * A subscriber's filters as they type them and as they are stored: keywords to look for, keywords
 * that hide a paper, authors to follow, and what the mail holds besides the matches.
 *
 * Keyword syntax (the preferences page says the same):
 * - terms are separated by commas, semicolons, new lines or spaces; "double quotes" keep a phrase together;
 * - an English term matches whole words, case-insensitively: `NeRF` matches "NeRF-based" but not "NeRFs";
 *   a trailing `*` matches any word starting with it (`NeRF*` matches "NeRFs");
 * - a term with Chinese (or other CJK) characters matches anywhere in the text (Chinese has no spaces);
 * - full-width and half-width forms, accents and case are folded before comparing.
 * Authors are separated by commas, semicolons or new lines, each a name as the digest prints it
 * ("Kaiming He"); a name matches an author whose name contains it as whole words.
 */
export interface Filters {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly authors: readonly string[];
  /** After the matches: the rest of the subscriber's categories, or nothing more. */
  readonly rest: 'categories' | 'none';
}

export const NO_FILTERS: Filters = { include: [], exclude: [], authors: [], rest: 'categories' };
export const hasFilters = (f: Filters | undefined): f is Filters => !!f && f.include.length + f.authors.length + f.exclude.length > 0;
/** Matches come first only when there is something to match; exclusions alone just hide papers. */
export const looksForMatches = (f: Filters | undefined): boolean => !!f && f.include.length + f.authors.length > 0;

export const FILTER_LIMITS = { terms: 20, termChars: 64, minChars: 2, fieldChars: 1500 } as const;

export type FilterField = 'include' | 'exclude' | 'authors';
export const FIELD_LABEL: Record<FilterField, string> = {
  include: 'Keywords · 关键词',
  exclude: 'Exclude · 排除词',
  authors: 'Authors · 作者',
};

/** Letters, marks, digits, spaces and the punctuation names and technical terms use; nothing that is markup. */
const ALLOWED = /^[\p{L}\p{M}\p{N} \-'.+&/#_]+$/u;
const HAS_WORD = /[\p{L}\p{N}]/u;

export type FilterCheck = { readonly ok: true; readonly terms: string[] } | { readonly ok: false; readonly error: string };

/** Splits one field into terms; quotes group a phrase (keywords only: author names have spaces anyway). */
function splitTerms(raw: string, field: FilterField): string[] {
  const text = raw.normalize('NFKC').replace(/[\u201c\u201d\u300c\u300d]/g, '"').replace(/[\u2018\u2019]/g, "'").replace(/[、]/g, ',');
  const terms: string[] = [];
  if (field === 'authors') {
    for (const part of text.split(/[,;\r\n]+/)) if (part.trim()) terms.push(part.trim().replace(/\s+/g, ' '));
    return terms;
  }
  const re = /"([^"]*)"?|[^\s,;"]+/g;
  for (const m of text.matchAll(re)) {
    const term = (m[1] ?? m[0]).trim().replace(/\s+/g, ' ');
    if (term) terms.push(term);
  }
  return terms;
}

const show = (term: string) => {
  const chars = [...term];
  return chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : term;
};

/** One field read and checked; an error names the field and the term, in both languages. */
export function readFilterField(raw: string | null | undefined, field: FilterField): FilterCheck {
  const label = FIELD_LABEL[field];
  const text = raw ?? '';
  if ([...text].length > FILTER_LIMITS.fieldChars) return { ok: false, error: `${label.split(' · ')[0]}: at most ${FILTER_LIMITS.fieldChars} characters. · ${label.split(' · ')[1]}：最多 ${FILTER_LIMITS.fieldChars} 个字符。` };
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return { ok: false, error: `${label.split(' · ')[0]}: control characters are not allowed. · ${label.split(' · ')[1]}：不能包含控制字符。` };
  const terms = splitTerms(text, field);
  const [en, zh] = label.split(' · ') as [string, string];
  if (terms.length > FILTER_LIMITS.terms) return { ok: false, error: `${en}: at most ${FILTER_LIMITS.terms} terms (you gave ${terms.length}). · ${zh}：最多 ${FILTER_LIMITS.terms} 个（您填写了 ${terms.length} 个）。` };
  const seen = new Set<string>();
  const out: string[] = [];
  for (const term of terms) {
    const body = field === 'authors' ? term : term.replace(/\*$/, '');
    const chars = [...body].length;
    if (!ALLOWED.test(body) || !HAS_WORD.test(body))
      return { ok: false, error: `${en}: “${show(term)}” may hold only letters, digits, spaces and - ' . + & / # _${field === 'authors' ? '' : ' (and * at the end)'}. · ${zh}：“${show(term)}”只能包含字母、数字、空格和 - ' . + & / # _${field === 'authors' ? '' : '（末尾可加 *）'}。` };
    if (chars < FILTER_LIMITS.minChars) return { ok: false, error: `${en}: “${show(term)}” is too short (at least ${FILTER_LIMITS.minChars} characters). · ${zh}：“${show(term)}”太短（至少 ${FILTER_LIMITS.minChars} 个字符）。` };
    if (chars > FILTER_LIMITS.termChars) return { ok: false, error: `${en}: “${show(term)}” is too long (at most ${FILTER_LIMITS.termChars} characters). · ${zh}：“${show(term)}”太长（最多 ${FILTER_LIMITS.termChars} 个字符）。` };
    const key = term.toLowerCase();
    if (!seen.has(key)) out.push(term);
    seen.add(key);
  }
  return { ok: true, terms: out };
}

/** How a field's terms are shown back in its text box: phrases quoted, so reading it back gives the same terms. */
export function formatTerms(terms: readonly string[], field: FilterField): string {
  if (field === 'authors') return terms.join(', ');
  return terms.map((t) => (t.includes(' ') ? `"${t}"` : t)).join(', ');
}

export type FiltersCheck = { readonly ok: true; readonly filters: Filters } | { readonly ok: false; readonly error: string };

/** The filter fields of a submitted form. Absent fields are empty. */
export function readFilters(form: { get(name: string): string | null }): FiltersCheck {
  const fields: Partial<Record<FilterField, string[]>> = {};
  for (const field of ['include', 'exclude', 'authors'] as const) {
    const r = readFilterField(form.get(field), field);
    if (!r.ok) return r;
    fields[field] = r.terms;
  }
  const rest = form.get('rest') ?? 'categories';
  if (rest !== 'categories' && rest !== 'none') return { ok: false, error: 'After the matches: choose the rest of your categories or nothing more. · 匹配之后：请选择“其余类别”或“不再显示”。' };
  return { ok: true, filters: { include: fields.include ?? [], exclude: fields.exclude ?? [], authors: fields.authors ?? [], rest } };
}
