// Citation.js ships no types: what the tests use of it (reading RIS and CSL-JSON, formatting with citeproc-js).
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown);
    static async(data: unknown): Promise<Cite>;
    readonly data: unknown[];
    format(kind: 'bibliography', options: { format: 'text' | 'html'; template: string; lang: string }): string;
  }
}
declare module '@citation-js/plugin-ris';
declare module '@citation-js/plugin-csl';
