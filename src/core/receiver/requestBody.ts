// Reads one request body under a size limit that holds before and after decompression (a gzip bomb stops at
// the limit, not after it was inflated; gigabytes of empty deflate blocks stop at the limit too) and a deadline
// (a client that stops sending mid-body does not hold a socket).
import type { IncomingMessage } from 'node:http';
import { createGunzip, type Gunzip } from 'node:zlib';

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1048576) * 10) / 10} MiB`;
}

/** In bytes when MiB would print both sizes alike ("1 MiB is over the 1 MiB limit" says nothing). */
function overLimit(what: string, size: number, limit: number): string {
  if (mib(size) !== mib(limit)) return `${what} of ${mib(size)} is over the ${mib(limit)} limit`;
  return `${what} of ${size.toLocaleString('en-US')} bytes is over the ${limit.toLocaleString('en-US')}-byte limit`;
}

function contentEncoding(req: IncomingMessage): 'gzip' | 'identity' {
  const value = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'identity' || value === '') return 'identity';
  throw new BodyError(415, `unsupported Content-Encoding "${value.slice(0, 40)}"; send gzip or no encoding`);
}

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const encoding = contentEncoding(req);
    const declared = Number(req.headers['content-length']);
    if (encoding === 'identity' && declared > limits.maxBytes) {
      throw new BodyError(413, overLimit('body', declared, limits.maxBytes));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let received = 0;
    let gunzip: Gunzip | undefined;
    const timer = setTimeout(() => fail(new BodyError(408, `the request body did not arrive within ${limits.timeoutMs / 1000} s`)), limits.timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      gunzip?.removeAllListeners();
    };
    const fail = (error: BodyError) => {
      finish();
      gunzip?.destroy();
      reject(error);
    };
    const take = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) {
        const what = encoding === 'gzip' ? 'decompressed body' : 'body';
        return fail(new BodyError(413, `${what} is over the ${mib(limits.maxBytes)} limit`));
      }
      chunks.push(chunk);
    };
    const done = () => {
      finish();
      resolve(Buffer.concat(chunks, size));
    };
    if (encoding === 'gzip') {
      gunzip = createGunzip();
      gunzip.on('data', take);
      gunzip.on('end', done);
      gunzip.on('error', (error) => fail(new BodyError(400, `the body is not valid gzip: ${error.message}`)));
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > limits.maxBytes) return fail(new BodyError(413, `compressed body is over the ${mib(limits.maxBytes)} limit`));
        gunzip?.write(chunk);
      });
      req.on('end', () => gunzip?.end());
    } else {
      req.on('data', take);
      req.on('end', done);
    }
    // The client went away mid-body: nobody is left to answer, but the timer and buffers must go.
    req.on('close', () => {
      if (!req.complete) fail(new BodyError(400, 'the client closed the connection before the body was complete'));
    });
  });
}
