import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../scripts/local/s3-emulator.ts';

// npm start and the flow tests keep their files in s3rver; these check the guard that makes it
// replace an object whole, as S3 does (scripts/local/s3-emulator.ts, wholeObjectsOnly).
let s3: LocalS3;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-s3rver-'));
  s3 = await startLocalS3({ directory: join(dir, 's3'), buckets: ['data'] });
});
afterAll(async () => {
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const put = (key: string, body: string) => s3.client.send(new PutObjectCommand({ Bucket: 'data', Key: key, Body: body, ContentType: 'application/json' }));
const get = async (key: string) => (await s3.client.send(new GetObjectCommand({ Bucket: 'data', Key: key }))).Body!.transformToString();
const version = (i: number) => JSON.stringify({ version: i, pad: 'x'.repeat(20_000 + i) });

describe('the local S3 (s3rver, guarded)', () => {
  it('never lets a reader see part of an object another client is rewriting', async () => {
    await put('days/index.json', version(0));
    let writing = true;
    const writer = (async () => {
      for (let i = 1; i <= 200; i++) await put('days/index.json', version(i));
      writing = false;
    })();
    const seen: number[] = [];
    const reader = (async () => {
      while (writing) {
        const body = await get('days/index.json');
        const parsed = JSON.parse(body) as { version: number };
        // Whole: exactly the bytes one PUT wrote.
        expect(body).toBe(version(parsed.version));
        seen.push(parsed.version);
      }
    })();
    await Promise.all([writer, reader]);
    // The reader really ran alongside the writer, and only ever went forward.
    expect(seen.length).toBeGreaterThan(20);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  }, 60_000);

  it('gives a GET right after a PUT that PUT’s bytes, and lists no file of a write in progress', async () => {
    for (let i = 0; i < 50; i++) {
      await put(`parsed/${i}.json`, version(i));
      expect(await get(`parsed/${i}.json`)).toBe(version(i));
    }
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'data' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(['days/index.json', ...Array.from({ length: 50 }, (_, i) => `parsed/${i}.json`)].sort());
  });
});
