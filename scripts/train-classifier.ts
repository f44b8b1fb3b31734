/**
 * npm run train-classifier: learns the producer's category rules from the labelled corpus days in
 * test/fixtures and writes them to functions/domain/classifier/model.json, the data the producer
 * ships. Deterministic: the same fixtures give the same file.
 */
import { writeFileSync } from 'node:fs';
import { loadLabelledDays, loadLaterDays } from './classifier/training-set.ts';
import { trainOn } from './classifier/evaluate.ts';

export const MODEL_PATH = new URL('../functions/domain/classifier/model.json', import.meta.url).pathname;

const model = trainOn(loadLabelledDays(), loadLaterDays());
writeFileSync(MODEL_PATH, `${JSON.stringify(model, null, 1)}\n`);
const rules = model.categories.reduce((n, c) => n + c.phrases.length, 0);
console.log(`${rules} rules for ${model.categories.length} categories from ${model.trainedOn.papers} papers of ${model.trainedOn.days.length} days → ${MODEL_PATH}`);
