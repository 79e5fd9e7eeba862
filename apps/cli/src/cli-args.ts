import { UsageError } from './cli.error';

export type OptionType = 'string' | 'boolean';

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean>;
  help: boolean;
}

/**
 * Parses the arguments after the command words: `--name value`, `--name=value`, `--flag`, `-h`/`--help`, and
 * `--` to end the options. A token that looks like a negative number (`-5`) is a positional, so that
 * `stock adjust SKU LOC -5` needs no `--`.
 */
export function parseArgs(argv: string[], spec: Record<string, OptionType>, command: string): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: {}, help: false };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (token === '-h' || token === '--help') {
      out.help = true;
      continue;
    }
    if (!token.startsWith('-') || /^[-+]?\d/.test(token) || token === '-') {
      out.positionals.push(token);
      continue;
    }
    if (!token.startsWith('--')) throw new UsageError(`unknown option "${token}"`, command);
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const type = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!type) throw new UsageError(`unknown option "--${name}"`, command);
    if (type === 'boolean') {
      if (eq >= 0) throw new UsageError(`option "--${name}" takes no value`, command);
      out.options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = token.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '')
      throw new UsageError(`option "--${name}" needs a value`, command);
    out.options[name] = value;
  }
  return out;
}
