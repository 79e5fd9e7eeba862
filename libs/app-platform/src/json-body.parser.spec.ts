import { inspectJsonBody } from './json-body.parser';

const inspect = (text: string, maxDepth = 32) => inspectJsonBody(Buffer.from(text, 'utf8'), maxDepth);
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('inspectJsonBody', () => {
  it('passes ordinary bodies', () => {
    expect(inspect('{"lines":[{"sku":"A","quantity":1}],"reference":"cart-1"}')).toBeUndefined();
    expect(inspect('[]')).toBeUndefined();
    expect(inspect('"just a string"')).toBeUndefined();
    expect(inspect('')).toBeUndefined();
  });

  it('counts objects and arrays alike, and allows exactly maxDepth levels', () => {
    expect(inspect(nested(32))).toBeUndefined();
    expect(inspect(nested(33))).toBe('too-deep');
    expect(inspect('{"a":{"b":[{"c":[1]}]}}', 5)).toBeUndefined();
    expect(inspect('{"a":{"b":[{"c":[1]}]}}', 4)).toBe('too-deep');
  });

  it('measures depth, not the number of containers', () => {
    const wide = `[${Array.from({ length: 10_000 }, () => '{"a":[1]}').join(',')}]`;
    expect(inspect(wide, 3)).toBeUndefined();
  });

  it('stops at the first level too deep, however long the rest of the body is', () => {
    const bytes = Buffer.from(`${'['.repeat(2_000_000)}`);
    let reads = 0;
    const counted = new Proxy(bytes, {
      get(target, property) {
        if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
        return Reflect.get(target, property) as unknown;
      },
    });
    expect(inspectJsonBody(counted, 32)).toBe('too-deep');
    expect(reads).toBe(33);
  });

  it('ignores brackets and braces inside strings, including after escaped quotes and backslashes', () => {
    expect(inspect(`{"a":"${'['.repeat(100)}"}`, 2)).toBeUndefined();
    expect(inspect(`{"a":"\\"${'{'.repeat(100)}"}`, 2)).toBeUndefined();
    expect(inspect(`{"a":"\\\\","b":${nested(3)}}`, 3)).toBe('too-deep');
    expect(inspect(`{"a":"\\\\","b":${nested(2)}}`, 3)).toBeUndefined();
  });

  it('refuses escaped NUL and other C0 controls in values and keys', () => {
    expect(inspect('{"reference":"cart\\u0000"}')).toBe('control-character');
    expect(inspect('{"ref\\u0000":"x"}')).toBe('control-character');
    expect(inspect('{"a":"\\u001f"}')).toBe('control-character');
    expect(inspect('{"a":"\\u001B"}')).toBe('control-character');
    expect(inspect('{"a":"\\u0007"}')).toBe('control-character');
    expect(inspect('{"a":"\\b"}')).toBe('control-character');
    expect(inspect('{"a":"\\f"}')).toBe('control-character');
    expect(inspect('["ok","\\u0000"]')).toBe('control-character');
  });

  it('allows tab, line feed and carriage return, and every other escape', () => {
    expect(inspect('{"a":"\\t\\n\\r\\u0009\\u000a\\u000D"}')).toBeUndefined();
    expect(inspect('{"a":"\\u0020 \\u007f \\u00e9 \\ud83d\\ude00 \\/ \\" \\\\"}')).toBeUndefined();
    expect(inspect('{"a":"\\\\u0000"}')).toBeUndefined(); // an escaped backslash followed by the text u0000
  });

  it('reads multi-byte UTF-8 without mistaking its bytes for JSON structure', () => {
    expect(inspect('{"name":"Crème brûlée — 北京 😀","tags":["ü"]}', 2)).toBeUndefined();
  });

  it('leaves malformed JSON to the parser', () => {
    expect(inspect(']]]}}}')).toBeUndefined();
    expect(inspect('{"a":"unterminated')).toBeUndefined();
    expect(inspect('{"a":"\\u00')).toBeUndefined();
  });
});
