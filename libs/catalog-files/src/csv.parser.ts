export interface CsvTable {
  header: string[];
  /** Data records with the line each starts on (1-based; the header is line 1 unless blank lines precede it). */
  records: { line: number; cells: string[] }[];
}

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes (which may hold commas, line breaks and
 * `""` for a quote), CRLF or LF line ends. Blank lines are skipped; unquoted fields are trimmed.
 */
export function parseCsv(text: string): CsvTable {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false; // the current field was quoted
  let inQuotes = false; // inside the quotes right now
  let afterQuote = false; // the closing quote was read; only spaces may follow before the delimiter
  let rowQuoted = false; // a quote opened in this row, so `""` alone is a row with one empty field
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endField = () => {
    cells.push(quoted ? cell : cell.trim());
    cell = '';
    quoted = false;
    afterQuote = false;
  };
  const endRow = () => {
    endField();
    const blank = cells.length === 1 && cells[0] === '' && !rowQuoted;
    if (!blank) rows.push({ line: rowLine, cells });
    cells = [];
    rowQuoted = false;
  };

  for (; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          inQuotes = false;
          afterQuote = true;
        }
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else if (afterQuote) {
      if (ch !== ' ' && ch !== '\t')
        throw new Error(`line ${line}: unexpected "${ch}" after a closing quote`);
    } else if (ch === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
      inQuotes = true;
      rowQuoted = true;
    } else {
      cell += ch;
    }
  }
  if (inQuotes) throw new Error(`line ${rowLine}: a quoted field is not closed`);
  if (cell !== '' || quoted || cells.length > 0) endRow();

  const [header, ...records] = rows;
  return { header: header ? header.cells : [], records };
}
