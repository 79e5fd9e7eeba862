import { CliOutput, formatTable, plural, shortTime } from './output';

describe('formatTable', () => {
  it('pads every column to its widest cell and right-aligns numeric columns', () => {
    expect(
      formatTable(
        [{ title: 'location' }, { title: 'on hand', align: 'right' }],
        [
          ['WH-EAST', '120'],
          ['STORE-SF', '6'],
        ],
      ),
    ).toEqual(['location  on hand', 'WH-EAST       120', 'STORE-SF        6']);
  });

  it('leaves no trailing spaces when the last column is empty', () => {
    expect(formatTable([{ title: 'a' }, { title: 'revoked' }], [['x', '']])).toEqual(['a  revoked', 'x']);
  });
});

describe('CliOutput', () => {
  function sinks() {
    const written = { stdout: '', stderr: '' };
    const out = new CliOutput(
      { write: (t: string) => (written.stdout += t) },
      { write: (t: string) => (written.stderr += t) },
    );
    return { out, written };
  }

  it('writes results to stdout and notes to stderr', () => {
    const { out, written } = sinks();
    out.line('result');
    out.note('note');
    expect(written).toEqual({ stdout: 'result\n', stderr: 'note\n' });
  });

  it('in JSON mode sends every human-readable line to stderr and only the JSON document to stdout', () => {
    const { out, written } = sinks();
    out.useJsonMode();
    out.line('loaded');
    out.json({ a: 1 });
    expect(written).toEqual({ stdout: '{"a":1}\n', stderr: 'loaded\n' });
  });
});

describe('shortTime and plural', () => {
  it('prints times to the second in UTC and nothing for null', () => {
    expect(shortTime(new Date('2025-01-02T03:04:05.678Z'))).toBe('2025-01-02 03:04:05Z');
    expect(shortTime(null)).toBe('');
  });

  it('uses the singular for exactly one', () => {
    expect(plural(1, 'SKU')).toBe('1 SKU');
    expect(plural(3, 'SKU')).toBe('3 SKUs');
  });
});
