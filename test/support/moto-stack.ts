import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { StoredMail } from '../../scripts/local/ses-emulator.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack.ts';
import { motoEndpoint } from './moto.ts';
import { OPEN_FORM } from './subscribe.ts';

/**
 * The local stack of one test file with DynamoDB and S3 on moto_server (conditional writes answer
 * 412, as in AWS) and an open subscribe form, started before its tests and removed after them.
 * `stack` is read inside tests (it exists once beforeAll ran).
 */
export function motoStack(name: string, tokenSecret: string, ready?: (stack: LocalStack) => Promise<unknown>): { readonly stack: LocalStack } {
  let stack: LocalStack | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `paperboy-${name}-`));
    stack = await startLocalStack({ dir, tokenSecret, dynamoEndpoint: motoEndpoint(), s3Endpoint: motoEndpoint(), ...OPEN_FORM });
    await ready?.(stack);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get stack(): LocalStack {
      if (!stack) throw new Error('the local stack is not started yet');
      return stack;
    },
  };
}

export const mailsTo = (mails: StoredMail[], email: string) => mails.filter((m) => m.destination.to.includes(email));

/** Every link to `path` of the API in a mail's text part. */
export function linksIn(stack: LocalStack, mail: StoredMail | undefined, path: string): string[] {
  return [...(mail?.body.text ?? '').matchAll(new RegExp(`${stack.apiUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${path}\\?token=[^\\s"<>]+`, 'g'))].map((m) => m[0]);
}

export function linkIn(stack: LocalStack, mail: StoredMail | undefined, path: string): string {
  const link = linksIn(stack, mail, path)[0];
  if (!link) throw new Error(`no ${path} link in mail`);
  return link;
}

/** A form body as a browser posts it; a list value repeats its field. */
export function form(fields: Record<string, string | string[]>): string {
  const f = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) f.append(k, item);
  return f.toString();
}

export const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
