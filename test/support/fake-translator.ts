import type { Translator } from '../../functions/domain/ports/translator.ts';

/** Deterministic stand-in for a machine translator: the same text always gives the same "Chinese". */
export class FakeTranslator implements Translator {
  readonly name = 'fake';
  calls = 0;
  async translate(texts: readonly string[]): Promise<string[]> {
    this.calls++;
    return texts.map((t) => `【译】${t.slice(0, 40).trim()}`);
  }
}
