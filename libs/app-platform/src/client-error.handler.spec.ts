import type { FastifyError } from 'fastify';
import { clientErrorProblem, frameworkErrorProblem, rawProblemResponse } from './client-error.handler';

describe('rawProblemResponse', () => {
  it('is a complete HTTP/1.1 response with a problem+json body of the exact length', () => {
    const raw = rawProblemResponse(
      clientErrorProblem({
        code: 'HPE_HEADER_OVERFLOW',
        rawPacket: Buffer.from('GET / HTTP/1.1\r\nX: é'),
        bytesParsed: 20,
      }),
    );
    const [head, body] = raw.split('\r\n\r\n');
    const lines = head.split('\r\n');
    expect(lines[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(lines).toContain('Content-Type: application/problem+json');
    expect(lines).toContain('Connection: close');
    expect(lines).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      status: 431,
      title: 'Request Header Fields Too Large',
      type: expect.stringMatching(/headers-too-large$/),
    });
    expect(lines).toContain(`X-Correlation-Id: ${String(parsed.instance)}`);
  });
});

describe('clientErrorProblem', () => {
  const overflow = (packet: string, bytesParsed: number) => ({
    code: 'HPE_HEADER_OVERFLOW',
    rawPacket: Buffer.from(packet),
    bytesParsed,
  });

  it('tells a URI that is too long from headers that are too large', () => {
    const longUri = `GET /${'a'.repeat(100)} HTTP/1.1\r\nHost: x\r\n\r\n`;
    expect(clientErrorProblem(overflow(longUri, 90)).status).toBe(414);
    const longHeader = `GET / HTTP/1.1\r\nX: ${'a'.repeat(100)}\r\n\r\n`;
    expect(clientErrorProblem(overflow(longHeader, 100)).status).toBe(431);
    // A later packet of a request (no request line in it) is about headers.
    expect(clientErrorProblem(overflow('aaaaaaaaaaaaaaaaaaaaaa', 20)).status).toBe(431);
  });

  it('answers 400 malformed-request for anything else the parser refuses, and 408 for a timeout', () => {
    expect(clientErrorProblem({ code: 'HPE_INVALID_METHOD' })).toMatchObject({
      status: 400,
      type: expect.stringMatching(/malformed-request$/),
    });
    expect(clientErrorProblem({ code: 'ERR_HTTP_REQUEST_TIMEOUT' }).status).toBe(408);
  });
});

describe('frameworkErrorProblem', () => {
  const error = (code: string, statusCode: number, message: string) =>
    Object.assign(new Error(message), { code, statusCode }) as FastifyError;

  it('maps the router errors without echoing the URL', () => {
    const long = frameworkErrorProblem(error('FST_ERR_MAX_PARAM_LENGTH', 414, "'/v1/secret' is exceeding"));
    expect(long).toMatchObject({ status: 414, type: expect.stringMatching(/uri-too-long$/) });
    const bad = frameworkErrorProblem(
      error('FST_ERR_BAD_URL', 400, "'/v1/%zz' is not a valid url component"),
    );
    expect(bad).toMatchObject({ status: 400, type: expect.stringMatching(/malformed-request$/) });
    expect(JSON.stringify([long, bad])).not.toMatch(/secret|%zz/);
  });
});
