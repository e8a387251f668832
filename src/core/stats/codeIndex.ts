// Spans mapped onto one workspace's code, from one set of inputs: its files, path mappings, route declarations,
// file texts and the places language servers gave for function names. It answers both questions the editor and
// the CLI ask: the statistics per code location (CodeLens, gutter, hotspots) and where one span's code is (Go to
// Code). Pure: the extension feeds it what VS Code knows, the CLI what the disk holds.
import { ClueResolver } from '../code/clueResolver';
import { codeClues, errorClues, type CodeClue } from '../code/codeClues';
import type { ClueResolution, CodeLocation } from '../code/codeLocation';
import { WorkspaceIndex, type PathMapping } from '../code/pathMapping';
import type { RouteIndex } from '../code/routes/routeIndex';
import type { Span, Trace } from '../model/trace';
import type { SpanDigest } from './spanDigest';
import { CodeStats } from './codeStats';

export interface CodeIndexInputs {
  /** Absolute paths of the workspace's files: nothing outside them is ever an answer. */
  files: readonly string[];
  mappings?: readonly PathMapping[];
  /** The workspace folders, so "test code" is judged by the path inside the workspace. */
  roots?: readonly string[];
  /** Route declarations when read elsewhere (a worker thread); otherwise read from the texts on first need. */
  routes?: RouteIndex;
  /** A file's text, or undefined when it is not at hand (the caller may fetch it and build again). */
  readText: (file: string) => string | undefined;
  /** Where a language server placed a qualified function name the text search cannot. */
  symbol?: (name: string) => CodeLocation | undefined;
}

export interface SpanCode {
  code?: CodeLocation;
  /** Where the span failed, when that is not where its code is. */
  failure?: CodeLocation;
}

export class CodeIndex {
  readonly stats: CodeStats;
  private readonly resolve: (clue: CodeClue) => ClueResolution;

  constructor(inputs: CodeIndexInputs, traces: Iterable<Trace> = [], digests: Iterable<[SpanDigest, Uint8Array]> = []) {
    const resolver = new ClueResolver(new WorkspaceIndex(inputs.files, inputs.mappings), inputs.files, inputs.readText, inputs.roots, inputs.routes);
    const symbol = inputs.symbol ?? (() => undefined);
    this.resolve = (clue) => (clue.kind === 'symbol' && symbol(clue.name)) || resolver.resolve(clue);
    this.stats = new CodeStats(this.resolve);
    for (const trace of traces) this.stats.addTrace(trace);
    for (const [digest, stored] of digests) this.stats.addDigest(digest, stored);
  }

  /** The place the first clue that resolves names. */
  locateClues(clues: readonly CodeClue[]): CodeLocation | undefined {
    for (const clue of clues) {
      const resolved = this.resolve(clue);
      if ('file' in resolved) return resolved;
    }
    return undefined;
  }

  /** Where a span's code is and where it failed: the first clue of each kind that resolves. */
  locate(span: Span): SpanCode {
    const code = this.locateClues(codeClues(span));
    const failure = this.locateClues(errorClues(span));
    return { code, failure: failure && (failure.file !== code?.file || failure.line !== code?.line) ? failure : undefined };
  }
}
