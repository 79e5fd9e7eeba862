import { parseCsv } from './csv.parser';

describe('parseCsv', () => {
  it('splits plain fields on commas and rows on LF', () => {
    expect(parseCsv('a,b\n1,2\n3,4\n')).toEqual({
      header: ['a', 'b'],
      records: [
        { line: 2, cells: ['1', '2'] },
        { line: 3, cells: ['3', '4'] },
      ],
    });
  });

  it('accepts CRLF line ends and a missing final line end', () => {
    expect(parseCsv('a,b\r\n1,2\r\n3,4').records.map((r) => r.cells)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps commas, line breaks and doubled quotes inside a quoted field', () => {
    const table = parseCsv('name,note\n"Sock, navy","say ""hi""\nthere"\nnext,row\n');
    expect(table.records).toEqual([
      { line: 2, cells: ['Sock, navy', 'say "hi"\nthere'] },
      { line: 4, cells: ['next', 'row'] },
    ]);
  });

  it('skips blank lines but keeps a row holding one quoted empty field', () => {
    expect(parseCsv('a\n\n1\n\r\n""\n').records).toEqual([
      { line: 3, cells: ['1'] },
      { line: 5, cells: [''] },
    ]);
  });

  it('trims unquoted fields and keeps the spaces of quoted ones', () => {
    expect(parseCsv('a,b\n  x  , " y "\n').records[0].cells).toEqual(['x', ' y ']);
  });

  it('ignores a leading byte order mark', () => {
    expect(parseCsv('\uFEFFsku,name\nA,B\n').header).toEqual(['sku', 'name']);
  });

  it('keeps empty fields between commas', () => {
    expect(parseCsv('a,b,c\n1,,3\n').records[0].cells).toEqual(['1', '', '3']);
  });

  it('rejects a quoted field that is never closed, naming its line', () => {
    expect(() => parseCsv('a\n"open\nstill open\n')).toThrow('line 2: a quoted field is not closed');
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow('unexpected "y" after a closing quote');
  });
});
