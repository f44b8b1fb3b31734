import data from './model.json' with { type: 'json' };
import type { KeywordModel } from './keyword-rules.ts';

/**
 * The rules `npm run train-classifier` learned from the corpus, bundled into the producer as data:
 * no file read, no network, parsed once when the module loads.
 */
export const SHIPPED_MODEL = data as KeywordModel;
