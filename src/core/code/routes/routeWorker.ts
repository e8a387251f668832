// Worker thread entry: reads the route declarations of a workspace's code files off the extension host's thread
// (every extension shares that one). Receives the file list and the workspace folders, answers with every
// declared route and its full template, plain data. The same `readRoutes` and `declareRoutes` the CLI runs in-process.
import { readFileSync, statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { declareRoutes, readRoutes, type RouteDeclaration } from './routeIndex';
import { lowerThreadPriority } from '../../workers/threadPriority';

export interface RouteWorkerRequest {
  id: number;
  files: string[];
  roots: string[];
  maxTextBytes: number;
}

export type RouteWorkerAnswer = { id: number; declarations: RouteDeclaration[]; files: number; ms: number } | { id: number; error: string };

function reader(maxTextBytes: number): (file: string) => string | undefined {
  return (file) => {
    try {
      return statSync(file).size > maxTextBytes ? undefined : readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** The answer to one request: every declaration in the files, or the error that stopped the reading. */
export function answerRouteRequest(request: RouteWorkerRequest): RouteWorkerAnswer {
  const started = performance.now();
  try {
    const routes = readRoutes(request.files, reader(request.maxTextBytes));
    const declarations = declareRoutes(routes, request.roots);
    return { id: request.id, declarations, files: routes.length, ms: performance.now() - started };
  } catch (error) {
    return { id: request.id, error: (error as Error).message };
  }
}

lowerThreadPriority();
parentPort?.on('message', (request: RouteWorkerRequest) => parentPort!.postMessage(answerRouteRequest(request)));
