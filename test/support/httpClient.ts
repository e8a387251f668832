// Plain node:http and raw-socket clients for tests that must send what well-behaved clients never do.
import { request } from 'node:http';
import { connect } from 'node:net';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes raw bytes on a fresh connection; resolves with everything the server sent before closing. */
export function rawExchange(port: number, bytes: string | Buffer, options: { closeAfterMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(bytes);
    if (options.closeAfterMs !== undefined) setTimeout(() => socket.destroy(), options.closeAfterMs);
  });
}

/** google.rpc.Status from a protobuf error body: code (field 1) and message (field 2). */
export function decodeRpcStatus(body: Buffer): { code: number; message: string } {
  let pos = 0;
  let code = 0;
  let message = '';
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = body[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  while (pos < body.length) {
    const key = varint();
    if (key === 0x08) code = varint();
    else if (key === 0x12) {
      const length = varint();
      message = body.subarray(pos, pos + length).toString('utf8');
      pos += length;
    } else throw new Error(`unexpected field key ${key} in google.rpc.Status`);
  }
  return { code, message };
}
