import type { LambdaEnv } from './lambda-env.ts';
import { TranslateClient } from '@aws-sdk/client-translate';
import type { ArxivMetadataSource } from '../domain/ports/arxiv-source.ts';
import type { Translator } from '../domain/ports/translator.ts';
import { AmazonTranslateTranslator } from '../sources/amazon-translate.ts';
import { ARXIV_API_DEFAULTS, ArxivApiClient } from '../sources/arxiv-api.ts';
import { containerArxivHttp } from './arxiv-http.ts';

/** The abstracts step's adapters from the function's environment; built once per container. */
export function arxivFromEnv(env: LambdaEnv = process.env): ArxivMetadataSource | null {
  if (env.ARXIV_ABSTRACTS === 'off') return null;
  return new ArxivApiClient({ endpoint: env.ARXIV_API_URL ?? ARXIV_API_DEFAULTS.endpoint, http: containerArxivHttp() });
}

export function translatorFromEnv(env: LambdaEnv = process.env): Translator | null {
  switch (env.TRANSLATE_PROVIDER ?? 'off') {
    case 'off':
      return null;
    case 'amazon-translate':
      return new AmazonTranslateTranslator(new TranslateClient({}));
    default:
      throw new Error(`TRANSLATE_PROVIDER=${env.TRANSLATE_PROVIDER}: expected "off" or "amazon-translate"`);
  }
}
