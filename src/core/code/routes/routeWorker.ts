// Worker thread entry: reads the route declarations of a workspace's code files off the extension host's thread
// (every extension shares that one). Receives the file list, answers with every file's routes (structured clone
// carries the Maps). The reading is the same `readRoutes` the CLI runs in-process.
import { readFileSync, statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { FileRoutes } from './fileRoutes';
import { readRoutes } from './routeIndex';

export interface RouteWorkerRequest {
  id: number;
  files: string[];
  maxTextBytes: number;
}

export type RouteWorkerAnswer = { id: number; routes: FileRoutes[]; ms: number } | { id: number; error: string };

function reader(maxTextBytes: number): (file: string) => string | undefined {
  return (file) => {
    try {
      return statSync(file).size > maxTextBytes ? undefined : readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}

parentPort?.on('message', (request: RouteWorkerRequest) => {
  const started = performance.now();
  try {
    const routes = readRoutes(request.files, reader(request.maxTextBytes));
    parentPort!.postMessage({ id: request.id, routes, ms: performance.now() - started } satisfies RouteWorkerAnswer);
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: (error as Error).message } satisfies RouteWorkerAnswer);
  }
});
