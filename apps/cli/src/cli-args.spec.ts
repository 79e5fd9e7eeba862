import { parseArgs } from './cli-args';
import { UsageError } from './cli.error';

describe('parseArgs', () => {
  const spec = { channel: 'string', name: 'string', json: 'boolean' } as const;

  it('reads "--name value" and "--name=value" options and keeps the rest as positionals in order', () => {
    expect(parseArgs(['a', '--channel', 'web', 'b', '--name=Acme web'], spec, 'x')).toEqual({
      positionals: ['a', 'b'],
      options: { channel: 'web', name: 'Acme web' },
      help: false,
    });
  });

  it('treats a negative number as a positional, not an option', () => {
    expect(parseArgs(['SKU-1', 'WH-EAST', '-5'], {}, 'stock adjust').positionals).toEqual([
      'SKU-1',
      'WH-EAST',
      '-5',
    ]);
    expect(parseArgs(['SKU-1', 'WH-EAST', '+5'], {}, 'stock adjust').positionals).toEqual([
      'SKU-1',
      'WH-EAST',
      '+5',
    ]);
  });

  it('sets a boolean flag without consuming the next argument', () => {
    expect(parseArgs(['--json', 'rest'], spec, 'demo')).toEqual({
      positionals: ['rest'],
      options: { json: true },
      help: false,
    });
  });

  it('takes everything after "--" as positionals', () => {
    expect(parseArgs(['--', '--json', '-x'], spec, 'x').positionals).toEqual(['--json', '-x']);
  });

  it('recognises -h and --help anywhere', () => {
    expect(parseArgs(['a', '-h'], spec, 'x').help).toBe(true);
    expect(parseArgs(['--help'], spec, 'x').help).toBe(true);
  });

  it('rejects an unknown option with a usage error naming it and the command', () => {
    expect(() => parseArgs(['--chanel', 'web'], spec, 'clients create')).toThrow(
      new UsageError('unknown option "--chanel"'),
    );
    try {
      parseArgs(['-x'], spec, 'clients create');
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(2);
      expect((err as UsageError).command).toBe('clients create');
    }
  });

  it('rejects a string option without a value and a boolean flag with one', () => {
    expect(() => parseArgs(['--channel'], spec, 'x')).toThrow('option "--channel" needs a value');
    expect(() => parseArgs(['--channel', '--json'], spec, 'x')).toThrow('option "--channel" needs a value');
    expect(() => parseArgs(['--json=yes'], spec, 'x')).toThrow('option "--json" takes no value');
  });

  it('does not mistake inherited object properties for options', () => {
    expect(() => parseArgs(['--constructor', 'x'], spec, 'x')).toThrow('unknown option "--constructor"');
  });
});
