/**
 * A failure the CLI reports as one line, without a stack trace. Usage mistakes (unknown command, missing or
 * malformed arguments) exit with 2, everything else with 1.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command whose usage to show after the message; the general usage when absent. */
    readonly command?: string,
  ) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
