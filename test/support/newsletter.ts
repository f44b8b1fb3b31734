import type { Digest } from '../../functions/domain/model.ts';
import { compileEdition } from '../../functions/app/newsletter/compile-edition.ts';
import type { Edition } from '../../functions/domain/newsletter/edition.ts';
import { buildMime, type Envelope } from '../../functions/domain/newsletter/mime.ts';
import type { PersonalMessage, Recipient } from '../../functions/domain/newsletter/personalise.ts';

export const EDITION_CONFIG = { siteUrl: 'https://paperboy.example.org', postalAddress: 'Paperboy, 1 Main Street, Springfield 12345, USA' };

export function compile(digest: Digest): Promise<Edition> {
  return compileEdition(digest, EDITION_CONFIG);
}

export function recipient(overrides: Partial<Recipient> = {}): Recipient {
  return {
    email: 'reader@example.com',
    lang: 'bi',
    categories: 'all',
    unsubscribeUrl: 'https://paperboy.example.org/api/unsubscribe?token=abc.def',
    preferencesUrl: 'https://paperboy.example.org/api/preferences?token=abc.def',
    languageUrl: 'https://paperboy.example.org/api/language?token=abc.def',
    feedUrl: 'https://paperboy.example.org/api/feed/abc.def/rss.xml',
    actionUrl: 'https://paperboy.example.org/api/p/AbCdEfGhIjKlMnOp/',
    ...overrides,
  };
}

export function envelope(r: Recipient, date: string, overrides: Partial<Envelope> = {}): Envelope {
  return {
    from: 'Paperboy <digest@paperboy.example.org>',
    to: r.email,
    date,
    domain: 'paperboy.example.org',
    unsubscribeUrl: r.unsubscribeUrl,
    unsubscribeMailto: 'mailto:unsubscribe@paperboy.example.org?subject=unsubscribe%20abc.def',
    listId: 'Paperboy daily <daily.paperboy.example.org>',
    ...overrides,
  };
}

export function mimeFor(message: PersonalMessage, r: Recipient, date: string): Buffer {
  return buildMime(message, envelope(r, date));
}
