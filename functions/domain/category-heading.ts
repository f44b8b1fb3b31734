import { categoryFor } from './categories.ts';
import type { Report } from './digest-builder.ts';
import type { Category } from './model.ts';
import { normaliseText } from './text.ts';

/** The category a heading names (bold or not), with a warning for a nameless or unknown one. */
export function categoryNamed(headingText: string, line: number, report: Report): Category | null {
  const name = normaliseText(headingText.replace(/^\*\*|\*\*$/g, ''));
  if (!name) {
    report(line, 'category', 'category heading has no name', 'warning');
    return null;
  }
  const category = categoryFor(name);
  if (!category.known) report(line, 'category', `new category ${JSON.stringify(name)} published as "${category.nameEn}" (${category.slug})`, 'warning');
  return category;
}
