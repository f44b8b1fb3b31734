/** Errors a digest can cause. Each names the file, the 1-based line and the field at fault. */

export interface Place {
  readonly file: string;
  /** 1-based line number; 0 when the problem is the file as a whole. */
  readonly line: number;
  readonly field: string;
}

export function describePlace(p: Place): string {
  return p.line > 0 ? `${p.file}:${p.line} [${p.field}]` : `${p.file} [${p.field}]`;
}

/** Base of every error the parser throws; anything else escaping it is a bug. */
export class DigestError extends Error implements Place {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  constructor(place: Place, detail: string) {
    super(`${describePlace(place)}: ${detail}`);
    this.name = new.target.name;
    this.file = place.file;
    this.line = place.line;
    this.field = place.field;
  }
}

/** The digest cannot be read at all (encoding, header, date): it is rejected and kept in quarantine. */
export class DigestRejectedError extends DigestError {}

/** A problem with one paper record or line; the record is skipped and the problem reported. */
export interface RecordProblem extends Place {
  readonly message: string;
  /** `error`: the record was skipped. `warning`: kept, with the field dropped or repaired. */
  readonly severity: 'error' | 'warning';
}

export function formatProblem(p: RecordProblem): string {
  return `${p.severity}: ${describePlace(p)}: ${p.message}`;
}
