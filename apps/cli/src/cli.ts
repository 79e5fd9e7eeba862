import { format } from 'node:util';
import { CatalogFileError } from '@stockbridge/catalog-files';
import { LedgerError } from '@stockbridge/ledger';
import { parseArgs } from './cli-args';
import { loadCliConfig } from './cli.config';
import { CliError, UsageError } from './cli.error';
import { CliServices, errorMessage } from './cli-services';
import { catalogLoadCommand } from './commands/catalog.command';
import { clientsCreateCommand, clientsListCommand, clientsRevokeCommand } from './commands/clients.command';
import type { Command } from './commands/command';
import { demoCommand } from './commands/demo.command';
import { demoBackendsCommand } from './commands/demo-backends.command';
import { migrateCommand } from './commands/migrate.command';
import { stockAdjustCommand, stockSetCommand, stockShowCommand } from './commands/stock.command';
import { CliOutput, type TextSink } from './output';

export const COMMANDS: Command[] = [
  migrateCommand,
  catalogLoadCommand,
  stockSetCommand,
  stockAdjustCommand,
  stockShowCommand,
  clientsCreateCommand,
  clientsListCommand,
  clientsRevokeCommand,
  demoCommand,
  demoBackendsCommand,
];

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: TextSink;
  stderr: TextSink;
}

const MAX_PROBLEMS_SHOWN = 50;

const commandLine = (c: Command) => `${c.name}${c.synopsis ? ` ${c.synopsis}` : ''}`;

export function usage(commands: Command[] = COMMANDS): string {
  return [
    'Stockbridge CLI: set up and operate the inventory ledger from a shell.',
    '',
    'usage: node dist/apps/cli/src/main.js <command> [arguments]',
    '',
    'commands:',
    ...commands.flatMap((c) => [`  ${commandLine(c)}`, `      ${c.summary}`]),
    '  help [command]',
    "      this text, or one command's usage",
    '',
    'environment:',
    '  DATABASE_URL  PostgreSQL URL (required); the database is created and migrated when needed',
    '  REDIS_URL     Redis of the availability read model; without it, changes are not published there',
    '  REDIS_PREFIX  prefix of the read model keys (default sb:)',
    '  DEBUG         set to print stack traces with errors',
    '',
    'exit status: 0 done, 1 failed, 2 usage error',
  ].join('\n');
}

function commandUsage(command: Command): string {
  return `usage: ${commandLine(command)}\n  ${command.summary}`;
}

/** The command named by the leading words of argv, and the arguments after them. */
function resolve(argv: string[]): { command: Command; rest: string[] } {
  let best: Command | undefined;
  for (const c of COMMANDS) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.name.split(' ').length))
      best = c;
  }
  if (best) return { command: best, rest: argv.slice(best.name.split(' ').length) };
  const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
  if (group.length > 0) {
    const sub = argv[1];
    throw new UsageError(
      `${sub === undefined || sub.startsWith('-') ? `"${argv[0]}" needs a subcommand` : `unknown command "${argv[0]} ${sub}"`}; ` +
        `one of: ${group.map((c) => c.name).join(', ')}`,
    );
  }
  throw new UsageError(`unknown command "${argv[0]}"`);
}

/**
 * Runs one CLI invocation and returns its exit status; never throws. Every command first creates and
 * migrates the database when needed; everything opened is closed before returning, so the process exits.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const out = new CliOutput(io.stdout, io.stderr);
  let services: CliServices | undefined;
  // TypeORM logs failed queries with console.log; stdout carries only results (with --json: one document).
  const consoleLog = console.log;
  const consoleInfo = console.info;
  console.log = console.info = (...args: unknown[]) => io.stderr.write(`${format(...args)}\n`);
  try {
    if (argv.length === 0) {
      out.note(usage());
      return 2;
    }
    if (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
      if (argv.length > 1) {
        const { command } = resolve(argv.slice(1));
        out.line(commandUsage(command));
      } else {
        out.line(usage());
      }
      return 0;
    }
    const { command, rest } = resolve(argv);
    const parsed = parseArgs(rest, command.options ?? {}, command.name);
    if (parsed.help) {
      out.line(commandUsage(command));
      return 0;
    }
    const missing = command.args.slice(parsed.positionals.length);
    if (missing.length > 0)
      throw new UsageError(`missing ${missing.map((a) => `<${a}>`).join(' ')}`, command.name);
    const extra = parsed.positionals.slice(command.args.length);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, command.name);
    if (command.jsonOption && parsed.options.json === true) out.useJsonMode();

    const config = loadCliConfig(io.env);
    services = await CliServices.open(config, out, {
      redis: command.publishes === true,
      quiet: command.reportsPreparation === true,
    });
    await command.run({ args: parsed.positionals, options: parsed.options, out, services, env: io.env });
    return 0;
  } catch (err) {
    return report(err, out, io.env);
  } finally {
    await services?.close().catch(() => undefined);
    console.log = consoleLog;
    console.info = consoleInfo;
  }
}

function report(err: unknown, out: CliOutput, env: Record<string, string | undefined>): number {
  const [first, ...more] = describeFailure(err);
  out.note(`error: ${first}`);
  for (const line of more) out.note(line);
  if (err instanceof UsageError) {
    const command = err.command ? COMMANDS.find((c) => c.name === err.command) : undefined;
    out.note('');
    out.note(command ? commandUsage(command) : usage());
  }
  if (env.DEBUG && err instanceof Error && err.stack) out.note(err.stack);
  return err instanceof CliError ? err.exitCode : 1;
}

function describeFailure(err: unknown): string[] {
  if (err instanceof CatalogFileError) {
    const shown = err.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `  - ${p}`);
    const hidden = err.problems.length - shown.length;
    return [
      `the catalog file has ${err.problems.length === 1 ? 'a problem' : `${err.problems.length} problems`}; nothing was loaded:`,
      ...shown,
      ...(hidden > 0 ? [`  … and ${hidden} more`] : []),
    ];
  }
  if (err instanceof LedgerError || err instanceof CliError) return [err.message];
  const pg = err as { severity?: unknown; code?: unknown; detail?: unknown };
  if (typeof pg?.severity === 'string' && typeof pg.code === 'string') {
    return [
      `database error ${pg.code}: ${errorMessage(err)}${typeof pg.detail === 'string' ? ` (${pg.detail})` : ''}`,
    ];
  }
  return [errorMessage(err)];
}
