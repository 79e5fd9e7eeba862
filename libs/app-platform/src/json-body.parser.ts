import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from './problem';

/** Why a JSON body is refused before it is parsed. */
export type JsonBodyFault = 'too-deep' | 'control-character';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const ESCAPE_B = 0x62; // \b, backspace
const ESCAPE_F = 0x66; // \f, form feed
const ESCAPE_U = 0x75; // \uXXXX

/** The value of one ASCII hex digit, or -1. */
function hex(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** Whether the four hex digits at `at` (after `\u`) name a C0 control other than tab, line feed or carriage return. */
function isControlEscape(body: Uint8Array, at: number): boolean {
  if (hex(body[at]) !== 0 || hex(body[at + 1]) !== 0) return false;
  const high = hex(body[at + 2]);
  const low = hex(body[at + 3]);
  if (high < 0 || high > 1 || low < 0) return false;
  const code = high * 16 + low;
  return code !== 0x09 && code !== 0x0a && code !== 0x0d;
}

/**
 * One linear pass over the raw bytes of a JSON body, before anything parses it: nesting deeper than `maxDepth`
 * (a few KB of `[` overflow the stack of class-transformer and class-validator), or a string (value or key)
 * holding an escaped C0 control character (`\u0000` to `\u001f` but tab, line feed and carriage return, and
 * `\b`, `\f`), which PostgreSQL refuses in text. Stops at the first fault, so a deep body costs `maxDepth`
 * bytes of work. Unescaped controls and other syntax errors are left to the JSON parser (malformed JSON).
 * Bytes of multi-byte UTF-8 sequences are all >= 0x80, so they never look like the ASCII structure.
 */
export function inspectJsonBody(body: Uint8Array, maxDepth: number): JsonBodyFault | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === QUOTE) {
        inString = false;
      } else if (byte === BACKSLASH) {
        const escaped = body[i + 1];
        if (escaped === ESCAPE_B || escaped === ESCAPE_F) return 'control-character';
        if (escaped === ESCAPE_U && isControlEscape(body, i + 2)) return 'control-character';
        i++; // the escaped character, which may be a quote
      }
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > maxDepth) return 'too-deep';
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return undefined;
}

export function controlCharacterProblem(where: 'body' | 'url'): ProblemError {
  return ProblemError.of(
    400,
    'control-character',
    where === 'body'
      ? 'A string in the request body holds a control character (such as \\u0000); only tab, line feed and carriage return are allowed.'
      : 'The URL holds an encoded control character (such as %00).',
  );
}

export function bodyTooDeepProblem(maxDepth: number): ProblemError {
  return ProblemError.of(
    400,
    'body-too-deep',
    `The request body nests objects and arrays deeper than ${maxDepth} levels.`,
    { maxDepth },
  );
}

type Done = (err: Error | null, body?: unknown) => void;

/**
 * The application/json parser of every app: refuses a body that is too deep or holds control characters
 * (see inspectJsonBody), then parses it with Fastify's own parser, which keeps its protections (secure-json-parse:
 * `__proto__` and `constructor.prototype` keys are refused) and its errors (malformed-json, empty body).
 */
export function jsonBodyParser(
  fastify: FastifyInstance,
  maxDepth: number,
): (request: FastifyRequest, body: Buffer, done: Done) => void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    const fault = inspectJsonBody(body, maxDepth);
    if (fault === 'too-deep') return done(bodyTooDeepProblem(maxDepth));
    if (fault === 'control-character') return done(controlCharacterProblem('body'));
    void parse(request, body.toString('utf8'), done);
  };
}
