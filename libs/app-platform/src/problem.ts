/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are documented in docs/problems.md; the URI names the anchor there. */
export function problemType(code: string): string {
  return `https://stockbridge.dev/problems/${code}`;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

export function problem(
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  const { type: _t, title: _ti, status: _s, detail: _d, ...rest } = extensions;
  // Extension members never override the standard ones.
  return { type: problemType(code), title: statusTitle(status), status, detail, ...rest };
}

/** An error that knows its problem document. Throw it from anywhere in a request. */
export class ProblemError extends Error {
  /**
   * @param replayable the stored outcome of an idempotent request (e.g. a refusal for want of stock): it leaves
   *   without the per-request `instance`, so that its replay answers byte for byte what the first request did.
   */
  constructor(
    readonly problem: Problem,
    readonly replayable = false,
  ) {
    super(problem.detail);
    this.name = 'ProblemError';
  }

  /** The problem as the outcome of an idempotent request, answered the same on every replay. */
  static replayable(p: Problem): ProblemError {
    return new ProblemError(p, true);
  }

  static of(
    status: number,
    code: string,
    detail: string,
    extensions: Record<string, unknown> = {},
  ): ProblemError {
    return new ProblemError(problem(status, code, detail, extensions));
  }
}

/** Turns a module's own error type into a problem, or returns undefined when it does not know the error. */
export abstract class ProblemMapper {
  abstract map(error: unknown): Problem | undefined;
}
