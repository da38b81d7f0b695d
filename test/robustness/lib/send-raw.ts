import { connect } from 'node:net';

/** What came back for one raw request; `error` instead of a status when the connection failed or timed out. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  error?: 'timeout' | 'reset' | 'closed-without-answer';
}

/** One request written byte for byte, so the fuzzer can send what no HTTP client would. */
export interface RawRequest {
  method: string;
  /** The request target exactly as sent (no normalisation, no encoding). */
  target: string | Buffer;
  headers: [string, string][];
  body?: Buffer;
  /** Sends the body with Transfer-Encoding: chunked (in pieces) instead of Content-Length. */
  chunked?: boolean;
}

/**
 * Writes `request` on a fresh TCP connection to 127.0.0.1:`port` (`Connection: close`) and reads
 * the answer to its end; gives up after `timeoutMs` so a hang is counted, never waited out.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: RawAnswer['error']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const parsed = parseAnswer(raw);
      if (!parsed) resolve({ status: 0, headers: {}, body: raw, error: error ?? 'closed-without-answer' });
      else resolve(parsed);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', () => finish('reset'));
    socket.on('connect', () => {
      const head = [
        Buffer.concat([
          Buffer.from(`${request.method} `, 'latin1'),
          Buffer.from(request.target),
          Buffer.from(' HTTP/1.1\r\n'),
        ]),
      ];
      const headers = [...request.headers, ['connection', 'close'] as [string, string]];
      if (!headers.some(([name]) => name.toLowerCase() === 'host')) headers.unshift(['host', `127.0.0.1:${port}`]);
      const body = request.body;
      if (body && request.chunked) headers.push(['transfer-encoding', 'chunked']);
      else if (body && !headers.some(([name]) => name.toLowerCase() === 'content-length'))
        headers.push(['content-length', String(body.length)]);
      for (const [name, value] of headers) head.push(Buffer.from(`${name}: ${value}\r\n`, 'latin1'));
      head.push(Buffer.from('\r\n'));
      socket.write(Buffer.concat(head));
      if (body && request.chunked) {
        for (let offset = 0; offset < body.length; offset += 1000) {
          const piece = body.subarray(offset, offset + 1000);
          socket.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
        }
        socket.write('0\r\n\r\n');
      } else if (body) socket.write(body);
    });
  });
}

function parseAnswer(raw: Buffer): RawAnswer | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding']?.includes('chunked')) body = dechunk(body);
  return { status, headers, body };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
