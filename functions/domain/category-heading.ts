import { categoryFor } from './categories.ts';
import { englishLabelFor } from './category-glossary.ts';
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
  if (!category.known) {
    const english = englishLabelFor(name);
    report(line, 'category', `category ${JSON.stringify(name)}${english ? ` (${english})` : ''} is not in Paperboy's taxonomy: its papers are filed one by one by the classifier; to file the name, add it to PUBLISHER_NAMES in functions/domain/taxonomy.ts`, 'warning');
  }
  return category;
}
