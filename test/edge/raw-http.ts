import { connect } from 'node:net';

/** A response read off the wire, as the bytes came. */
export interface RawResponse {
  statusLine: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether the body is exactly as long as its Content-Length says. */
  complete: boolean;
}

/** Sends `bytes` on a fresh connection and reads everything until the server closes it (or `timeoutMs`). */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 5_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${Buffer.concat(chunks).toString('latin1')}`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    // The server may reset the connection after answering; what arrived still counts.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** Parses the first HTTP/1.1 response of `raw` (Content-Length framing only, which is what errors use). */
export function parseResponse(raw: Buffer): RawResponse {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  const length = Number(headers['content-length']);
  const body = rest.subarray(0, Number.isFinite(length) ? length : rest.length);
  return {
    statusLine,
    status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? NaN),
    headers,
    body: body.toString('utf8'),
    complete: Number.isFinite(length) && body.length === length,
  };
}

export async function rawRequest(port: number, bytes: string | Buffer): Promise<RawResponse> {
  return parseResponse(await rawExchange(port, bytes));
}

/** A complete request with `Connection: close`. */
export function httpRequest(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): string {
  const all: Record<string, string> = { host: 'localhost', connection: 'close', ...headers };
  if (body !== undefined) all['content-length'] = String(Buffer.byteLength(body));
  const head = Object.entries(all).map(([k, v]) => `${k}: ${v}`);
  return `${method} ${target} HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\n${body ?? ''}`;
}
