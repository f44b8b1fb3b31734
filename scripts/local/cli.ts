import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One option of a command line tool, with the words `--help` prints for it. */
export type CliOption = NonNullable<ParseArgsConfig['options']>[string] & { readonly help: string; readonly value?: string };

/**
 * The options of `npm start`, `npm run backfill` and `npm run preflight`: `--help` prints them and
 * exits 0; an unknown or malformed option is one line naming it and the way to the list, exit 2,
 * never a stack trace.
 */
export function readOptions<T extends Record<string, CliOption>>(command: string, summary: string, options: T, argv = process.argv.slice(2)): ReturnType<typeof parseArgs<{ options: T; args: string[] }>>['values'] {
  if (argv.includes('--help') || argv.includes('-h')) {
    const rows = Object.entries(options).map(([name, o]) => {
      const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
      const fallback = o.default !== undefined && o.type === 'string' ? ` (default ${String(o.default)})` : '';
      return `  ${flag.padEnd(30)} ${o.help}${fallback}${o.multiple ? ' (may be repeated)' : ''}`;
    });
    console.log(`${command}\n${summary}\n\nOptions:\n${rows.join('\n')}\n  ${'-h, --help'.padEnd(30)} this list`);
    process.exit(0);
  }
  try {
    const config = Object.fromEntries(Object.entries(options).map(([name, { help: _help, value: _value, ...o }]) => [name, o]));
    return parseArgs({ args: argv, options: config as T, allowPositionals: false, strict: true }).values as ReturnType<typeof parseArgs<{ options: T; args: string[] }>>['values'];
  } catch (err) {
    console.error(`${command}: ${(err as Error).message.split('\n')[0]}. See: ${command} -- --help`);
    process.exit(2);
  }
}
