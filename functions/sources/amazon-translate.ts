import { TranslateClient, TranslateTextCommand } from '@aws-sdk/client-translate';
import type { Translator } from '../domain/ports/translator.ts';

/**
 * Amazon Translate (en → zh, Simplified Chinese) behind the `Translator` port. Priced per character
 * (list price $15 per million): the README estimates a day's cost. Requests run a few at a time; the
 * SDK's standard retry handles throttling.
 */
export class AmazonTranslateTranslator implements Translator {
  readonly name = 'amazon-translate';

  constructor(
    private readonly client: TranslateClient,
    private readonly concurrency = 4,
  ) {}

  async translate(texts: readonly string[]): Promise<string[]> {
    const out: string[] = new Array(texts.length).fill('');
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < texts.length; i = next++) {
        const res = await this.client.send(new TranslateTextCommand({ Text: texts[i] ?? '', SourceLanguageCode: 'en', TargetLanguageCode: 'zh' }));
        out[i] = res.TranslatedText ?? '';
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, texts.length) }, worker));
    return out;
  }
}
