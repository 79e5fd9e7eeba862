export interface TextSink {
  write(text: string): unknown;
}

export interface Column {
  title: string;
  align?: 'left' | 'right';
}

/**
 * Where the CLI writes. Results go to stdout and notes to stderr; in JSON mode every human-readable line
 * goes to stderr as well, so that stdout carries nothing but the one JSON document scripts parse.
 */
export class CliOutput {
  private jsonMode = false;

  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
  ) {}

  /** From now on, only `json()` writes to stdout. */
  useJsonMode(): void {
    this.jsonMode = true;
  }

  line(text = ''): void {
    (this.jsonMode ? this.stderr : this.stdout).write(`${text}\n`);
  }

  lines(texts: string[]): void {
    for (const text of texts) this.line(text);
  }

  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  json(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  table(columns: Column[], rows: string[][]): void {
    this.lines(formatTable(columns, rows));
  }
}

/** A plain-text table: columns padded to their widest cell, two spaces apart, numbers right-aligned. */
export function formatTable(columns: Column[], rows: string[][]): string[] {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const render = (cells: string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        return c.align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [render(columns.map((c) => c.title)), ...rows.map(render)];
}

/** 2024-05-01 12:34:56Z: precise enough for people, short enough for a table. */
export function shortTime(date: Date | null): string {
  return date ? `${date.toISOString().slice(0, 19).replace('T', ' ')}Z` : '';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
