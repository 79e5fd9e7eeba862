import type { OptionType } from '../cli-args';
import type { CliServices } from '../cli-services';
import type { CliOutput } from '../output';

export interface CommandContext {
  /** The positionals, in the order of `Command.args`. */
  args: string[];
  options: Record<string, string | boolean>;
  out: CliOutput;
  services: CliServices;
  /** The environment (a command reading a setting of its own, e.g. SANDBOX_ADMIN_TOKEN). */
  env: Record<string, string | undefined>;
}

/** One CLI command: its words, arguments, options and what it needs. */
export interface Command {
  /** The command words, e.g. "stock set". */
  name: string;
  /** Arguments and options as shown in the usage, after the name. */
  synopsis: string;
  summary: string;
  /** Names of the positional arguments, all required. */
  args: string[];
  options?: Record<string, OptionType>;
  /** Connects to Redis (when REDIS_URL is set) to publish availability after the change. */
  publishes?: boolean;
  /** Prints what database preparation did itself, so the services need not note it. */
  reportsPreparation?: boolean;
  /** Makes `--json` output: stdout carries only the JSON document. */
  jsonOption?: boolean;
  run(ctx: CommandContext): Promise<void>;
}
