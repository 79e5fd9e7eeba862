import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problem, type Problem, PROBLEM_CONTENT_TYPE } from './problem';
import { sendProblem } from './problem.filter';

/**
 * A complete HTTP/1.1 response carrying a problem, for a connection Node's parser gave up on (no request object
 * exists): status line, content type, exact length, `Connection: close`, and a fresh correlation id.
 */
export function rawProblemResponse(p: Problem): string {
  const instance = randomUUID();
  const body = JSON.stringify({ ...p, instance });
  return [
    `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status] ?? 'Error'}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Correlation-Id: ${instance}`,
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Node counts the request line against the same limit as the headers (HPE_HEADER_OVERFLOW for both): the
 * overflow is in the URI when the packet being parsed starts the request and no line ended before the error.
 */
function requestLineUnfinished(error: { rawPacket?: unknown; bytesParsed?: number }): boolean {
  const raw = error.rawPacket;
  if (!Buffer.isBuffer(raw) || !/^[A-Z]+ \S/.test(raw.subarray(0, 16).toString('latin1'))) return false;
  return !raw.subarray(0, error.bytesParsed ?? raw.length).includes('\r\n');
}

/** What Node's HTTP parser refused, as a problem (none of the client's bytes is echoed). */
export function clientErrorProblem(error: {
  code?: string;
  rawPacket?: unknown;
  bytesParsed?: number;
}): Problem {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(408, 'request-timeout', 'The request was not received in time.');
    case 'HPE_HEADER_OVERFLOW':
      return requestLineUnfinished(error)
        ? problem(414, 'uri-too-long', 'The request URI is longer than this server accepts.')
        : problem(431, 'headers-too-large', 'The request headers are larger than this server accepts.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem(413, 'body-too-large', 'The chunk extensions of the request body are too large.');
    default:
      return problem(400, 'malformed-request', 'The request is not valid HTTP/1.1.');
  }
}

/**
 * Fastify's `clientErrorHandler`: answers a request Node could not parse (bad request line, header too large,
 * invalid header characters, timeout) with problem+json on the raw socket, then closes it.
 */
export function clientErrorHandler(
  error: Error & { code?: string; rawPacket?: unknown; bytesParsed?: number },
  socket: Socket,
) {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Like Node's default handler: never write into a response that has already started.
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || current?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(rawProblemResponse(clientErrorProblem(error)));
}

/** Errors the router raises before any hook runs (Fastify's `frameworkErrors`), without echoing the URL. */
export function frameworkErrorProblem(error: FastifyError): Problem {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return problem(400, 'malformed-request', 'The request URL is not validly percent-encoded.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem(
        414,
        'uri-too-long',
        'A path segment of the request URI is longer than this server accepts.',
      );
    default:
      return error.statusCode && error.statusCode >= 400 && error.statusCode < 500
        ? problem(error.statusCode, 'bad-request', 'The request could not be routed.')
        : problem(400, 'malformed-request', 'The request could not be routed.');
  }
}

export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  void reply.header('x-correlation-id', request.id);
  sendProblem(reply, request, frameworkErrorProblem(error));
}
