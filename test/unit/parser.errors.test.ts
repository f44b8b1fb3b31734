import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestError, DigestRejectedError } from '../../functions/domain/errors.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { judgeParse } from '../../functions/domain/quarantine-policy.ts';
import { fixtureText, SEED_DAY } from '../support/fixtures.ts';

function rejection(input: string | Uint8Array, file = 'bad.md'): DigestRejectedError {
  try {
    parseDigest(input, file);
  } catch (err) {
    if (err instanceof DigestRejectedError) return err;
    throw err;
  }
  throw new Error('expected the digest to be rejected');
}

describe('a digest that cannot be read is rejected, naming file, line and field', () => {
  it('an unreadable header', () => {
    const err = rejection('\n\n# Daily digest\n\n>## **生成模型**\n', 'digests/2024-12-01.md');
    expect(err).toMatchObject({ file: 'digests/2024-12-01.md', line: 3, field: 'header' });
    expect(err.message).toMatch(/^digests\/2024-12-01\.md:3 \[header\]: expected/);
  });

  it('a date that is not on the calendar', () => {
    expect(rejection('## [UPDATED!] **2024-02-30** (Publish Time)\n')).toMatchObject({ line: 1, field: 'date' });
  });

  it('bytes that are not UTF-8, with the line they are on', () => {
    const bytes = Buffer.concat([Buffer.from('## [UPDATED!] **2024-02-04** (Publish Time)\n\n>## **生成模型**\n'), Buffer.from([0xff, 0xfe, 0x0a])]);
    expect(rejection(bytes)).toMatchObject({ line: 4, field: 'encoding' });
  });

  it('an empty file', () => {
    expect(rejection('')).toMatchObject({ line: 1, field: 'header', message: expect.stringContaining('the file is empty') });
    expect(rejection('\n \n\n')).toMatchObject({ line: 1, field: 'header', message: expect.stringContaining('only blank lines') });
  });
});

describe('a malformed paper is reported and skipped', () => {
  const seed = fixtureText(SEED_DAY);

  it('a record without a PDF link', () => {
    const lines = seed.split('\n');
    const pdfLine = lines.findIndex((l) => l.startsWith('**PDF:**'));
    lines[pdfLine] = '**PDF:** see arXiv<br />';
    const r = parseDigest(lines.join('\n'), 'seed.md');
    expect(r.skipped).toBe(1);
    expect(r.problems).toContainEqual(expect.objectContaining({ file: 'seed.md', line: pdfLine + 1, field: 'PDF', severity: 'error' }));
    expect(r.digest.sections.flatMap((s) => s.papers)).toHaveLength(39);
    expect(judgeParse(r)).toEqual({ publish: true });
  });

  it('a record without a title, and a repeated arXiv id', () => {
    const lines = seed.split('\n');
    const firstRecord = lines.slice(4, 12);
    const secondTitle = lines.findIndex((l, i) => i > 5 && l.startsWith('**Title:**'));
    lines.splice(secondTitle, 1);
    const r = parseDigest(`${lines.join('\n')}\n>## **其他**\n${firstRecord.join('\n')}\n`, 'seed.md');
    expect(r.problems.map((p) => [p.field, p.severity])).toEqual([
      ['Title', 'error'],
      ['PDF', 'error'],
    ]);
    expect(r.problems[1]?.message).toMatch(/already listed at line/);
  });

  it('too many bad records quarantine the day instead of publishing it', () => {
    const broken = seed.replace(/^\*\*PDF:\*\* .*$/gm, (line, offset: number) => (offset % 3 === 0 ? '**PDF:** null<br />' : line));
    const r = parseDigest(broken.replaceAll('**PDF:** <http://arxiv.org/pdf/2402.0', '**PDF:** <http://example.org/2402.0'), 'seed.md');
    const verdict = judgeParse(r);
    expect(verdict.publish).toBe(false);
    expect(verdict.publish ? '' : verdict.reason).toMatch(/40 of 40 paper records are malformed/);
  });
});

describe('fuzzing with mutations of a real digest', () => {
  const base = fixtureText(SEED_DAY).split('\n').slice(0, 60);
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), cut: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 200 }) }),
    fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), cut: fc.nat(), text: fc.constantFrom('**', '<br />', '>>', '>## ', '**PDF:** ', '\r', '\u200B', '<details>', '$', '\\', '**Title:** **', '\n') }),
  );

  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;
  function mutate(lines: string[], ops: Mutation[]): string {
    const out = [...lines];
    for (const op of ops) {
      const i = out.length ? op.at % out.length : 0;
      const line = out[i] ?? '';
      if (op.kind === 'delete') out.splice(i, 1);
      else if (op.kind === 'duplicate') out.splice(i, 0, line);
      else if (op.kind === 'swap') {
        const j = out.length ? op.to % out.length : 0;
        out[i] = out[j] ?? '';
        out[j] = line;
      } else if (op.kind === 'truncate') out[i] = line.slice(0, op.cut % (line.length + 1));
      else if (op.kind === 'insert') out.splice(i, 0, op.text);
      else {
        const c = op.cut % (line.length + 1);
        out[i] = line.slice(0, c) + op.text + line.slice(c);
      }
    }
    return out.join('\n');
  }

  it('never throws anything but its own typed error, and always ends', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 12 }), (ops) => {
        const text = mutate(base, ops);
        try {
          const r = parseDigest(text, 'fuzz.md');
          for (const p of r.problems) expect(p.line).toBeGreaterThan(0);
        } catch (err) {
          expect(err).toBeInstanceOf(DigestError);
        }
      }),
      { numRuns: 1500, interruptAfterTimeLimit: 50_000 },
    );
  });

  it('never throws on random bytes either', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        try {
          parseDigest(bytes, 'fuzz.bin');
        } catch (err) {
          expect(err).toBeInstanceOf(DigestError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('stays linear on pathological long lines', () => {
    const header = '## [UPDATED!] **2024-02-04** (Publish Time)\n\n>## **x**\n>---\n>>**index:** 1<br />\n';
    const long = `**Title:** ${'**'.repeat(50_000)}${' '.repeat(50_000)}<br<br<br\n**PDF:** <${'<'.repeat(50_000)}\n**Abstract:** <details><summary>${'<'.repeat(50_000)}`;
    const r = parseDigest(header + long, 'long.md');
    expect(r.skipped).toBe(1);
  });
});
