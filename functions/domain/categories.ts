import { classify } from './classifier/keyword-rules.ts';
import { SHIPPED_MODEL } from './classifier/shipped-model.ts';
import { currentSlug } from './legacy-slugs.ts';
import type { Category, Digest, Paper, Section } from './model.ts';
import { OTHER_SLUG, slugForName, TAXONOMY, taxonomyCategory, taxonomyOrder, type TaxonomyCategory } from './taxonomy.ts';

/** Slug of the feed that holds every category. Never produced by `categoryFor`. */
export const ALL_SLUG = 'all';

const asCategory = (name: string, t: TaxonomyCategory): Category => ({ name, nameZh: t.nameZh, nameEn: t.nameEn, slug: t.slug, known: true });

/** Paperboy's categories, in their one order, with their one name each. */
export function knownCategories(): Category[] {
  return TAXONOMY.map((t) => asCategory(t.nameZh, t));
}

/** The taxonomy's category of a slug, named as everywhere else (null for a slug that is none). */
export function categoryOfSlug(slug: string): Category | null {
  const t = taxonomyCategory(slug);
  return t ? asCategory(t.nameZh, t) : null;
}

/**
 * The category a printed name is filed under, with the taxonomy's names (the printed one kept as
 * `name`). A name the table does not map is `known: false` and, until its papers are classified one
 * by one (the digest builder does), "other": never a category of its own.
 */
export function categoryFor(name: string): Category {
  const slug = slugForName(name);
  const t = taxonomyCategory(slug ?? OTHER_SLUG)!;
  return { ...asCategory(name, t), known: slug !== null };
}

/** The category the producer's classifier files a paper under (title, and abstract when there is one). */
export function classifiedCategory(paper: Pick<Paper, 'titleEn' | 'abstractEn'>): Category {
  return categoryFor(classify(SHIPPED_MODEL, paper.titleEn, paper.abstractEn).name);
}

/** Sections in the taxonomy's one order. */
export const inTaxonomyOrder = (sections: readonly Section[]): Section[] => [...sections].sort((a, b) => taxonomyOrder(a.category.slug) - taxonomyOrder(b.category.slug));

/**
 * A digest as the taxonomy files it, whenever it was parsed: a day stored before the taxonomy has
 * the publisher's names and, for names unknown then, slugs of their own. Each section takes its
 * category's one name; an old slug, the category its name is filed under now; a section under a
 * slug that is neither, its papers classified one by one. Sections of one category merge, in the
 * one order. A digest already in the taxonomy comes back the same.
 */
export function inTaxonomy(digest: Digest): Digest {
  // Read from the archive and then handed to the site or the mail, a day is already in it: the same object back, nothing copied.
  if (isInTaxonomy(digest)) return digest;
  const bySlug = new Map<string, { category: Category; papers: Paper[] }>();
  const into = (category: Category, paper: Paper) => {
    let section = bySlug.get(category.slug);
    if (!section) bySlug.set(category.slug, (section = { category, papers: [] }));
    section.papers.push(paper.category === category.slug ? paper : { ...paper, category: category.slug });
  };
  for (const s of digest.sections) {
    const mapped = categoryOfSlug(currentSlug(s.category.slug));
    const named = mapped ? { ...mapped, name: s.category.name } : null;
    for (const p of s.papers) into(named ?? classifiedCategory(p), p);
  }
  return { ...digest, sections: inTaxonomyOrder([...bySlug.values()]) };
}

/** Every section a taxonomy category with its one name, each once, in the one order, its papers filed under it. */
function isInTaxonomy(digest: Digest): boolean {
  let last = -1;
  for (const s of digest.sections) {
    const t = taxonomyCategory(s.category.slug);
    const at = taxonomyOrder(s.category.slug);
    if (!t || at <= last || s.category.nameEn !== t.nameEn || s.category.nameZh !== t.nameZh || !s.category.known || s.papers.some((p) => p.category !== s.category.slug)) return false;
    last = at;
  }
  return true;
}
