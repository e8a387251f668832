// A port nobody listens on right now, for a real server a test starts on loopback.
import { createServer } from 'node:net';

/**
 * Ports are picked below Linux's ephemeral range (32768-60999): one the kernel handed out would be free again once
 * closed, and the kernel could hand it to another socket (code-server's, a browser's) before our server took it.
 * That happened once: the extension's receiver found its port taken.
 */
const LOW = 20_000;
const HIGH = 32_767;

function tryPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (;;) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (await tryPort(port)) return port;
  }
}
