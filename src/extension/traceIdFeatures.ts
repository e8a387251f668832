// Trace ids wherever they appear: hovers (editors, log files, output channels), document links, terminal links,
// and "Open Trace from Clipboard" / "Open Trace at Cursor". One recogniser decides what an id is.
import * as vscode from 'vscode';
import { formatDuration } from '../core/analysis/formatDuration';
import { criticalShareText, type TraceStory } from '../core/analysis/traceStory';
import { atLeast, recogniseTraceIds, type TraceIdMatch } from '../core/ids/traceIdRecogniser';
import { normaliseTraceId, significantTraceId } from '../core/model/ids';
import type { OpenedTraces } from '../core/sources/openedTraces';
import { escapeMarkdown } from './markdown';
import { release, storyOf, type TraceFinder } from './traceFinder';
import type { TraceFinding } from '../core/analysis/findings/traceFinding';
import { withSignal } from './cancellation';

/** Hovers must never hold typing up: backends get this long, then the hover says what is still missing. */
const HOVER_TIMEOUT_MS = 3000;
/** Above this many lines, links are computed for the visible part only. */
const LARGE_DOCUMENT_LINES = 5000;
const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'output' }, { language: 'log' }];
const COMMANDS = ['traceLens.openTrace', 'traceLens.copyTraceId'];

function commandUri(command: string, traceId: string): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([traceId]))}`;
}

/** The match under a character position in a line, including bare hex (confirmed later by a lookup). */
function matchAt(line: string, character: number): TraceIdMatch | undefined {
  return recogniseTraceIds(line, { includeLow: true }).find((m) => character >= m.start && character <= m.end);
}

function foundHover(traceId: string, sourceName: string, story: TraceStory, findings: TraceFinding[]): vscode.MarkdownString {
  const s = story.summary;
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: COMMANDS };
  md.appendMarkdown(`**Trace ${escapeMarkdown(significantTraceId(traceId))}** from ${escapeMarkdown(sourceName)}\n\n`);
  md.appendMarkdown(`$(server-process) ${escapeMarkdown(s.rootService)} · **${escapeMarkdown(s.rootName || '(no root span)')}**\n\n`);
  const errors = s.errorCount ? ` · $(error) ${s.errorCount} error${s.errorCount > 1 ? 's' : ''}` : '';
  md.appendMarkdown(`${formatDuration(s.durationNs)} · ${s.spanCount} spans · ${s.services.length} service${s.services.length > 1 ? 's' : ''}${errors}\n\n`);
  if (story.timeWentTo.length)
    md.appendMarkdown(`Time went to: ${story.timeWentTo.map((share) => criticalShareText(share, s.durationNs, escapeMarkdown)).join(', ')}\n\n`);
  else if (story.slowest)
    md.appendMarkdown(
      `Slowest span: ${escapeMarkdown(story.slowest.service)} · ${escapeMarkdown(story.slowest.name)} (${formatDuration(story.slowest.durationNs)})\n\n`,
    );
  if (story.failedAt)
    md.appendMarkdown(
      `Failed in: ${escapeMarkdown(story.failedAt.service)} · ${escapeMarkdown(story.failedAt.name)}${story.failedAt.message ? `: ${escapeMarkdown(story.failedAt.message)}` : ''}\n\n`,
    );
  const [top] = findings;
  if (top) md.appendMarkdown(`Finding: ${escapeMarkdown(top.title)}${findings.length > 1 ? ` (and ${findings.length - 1} more)` : ''}\n\n`);
  md.appendMarkdown(`[Open Waterfall](${commandUri('traceLens.openTrace', traceId)}) · [Copy Trace ID](${commandUri('traceLens.copyTraceId', traceId)})`);
  return md;
}

function missingHover(traceId: string, message: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: COMMANDS };
  md.appendMarkdown(`**Trace ${escapeMarkdown(significantTraceId(traceId))}**: ${escapeMarkdown(message)}\n\n`);
  md.appendMarkdown(`[Copy Trace ID](${commandUri('traceLens.copyTraceId', traceId)})`);
  return md;
}

class TraceIdHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly finder: TraceFinder,
    private readonly opened: OpenedTraces,
    private readonly findingsOf: (traceId: string) => Promise<TraceFinding[]>,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const line = document.lineAt(position.line).text;
    const match = matchAt(line, position.character);
    if (!match) return undefined;
    const range = new vscode.Range(position.line, match.start, position.line, match.end);
    // A large trace opened from a file: its worker holds it, this window its story.
    const traceId = normaliseTraceId(match.traceId) ?? match.traceId;
    const held = this.opened.heldTrace(traceId);
    if (held) return new vscode.Hover(foundHover(match.traceId, this.opened.name, held.story, await this.findingsOf(traceId)), range);
    const result = await withSignal(token, (signal) => this.finder.find(match.traceId, { signal, timeoutMs: HOVER_TIMEOUT_MS }));
    // A hover needs the story only: a trace held in a worker is let go at once.
    if (result.found) release(result.trace);
    if (token.isCancellationRequested) return undefined;
    if (result.found) return new vscode.Hover(foundHover(match.traceId, result.source.name, storyOf(result.trace), await this.findingsOf(traceId)), range);
    // A bare hex string is only a trace id once a source knows it.
    if (!atLeast(match.confidence, 'medium')) return undefined;
    const message = result.reason === 'cancelled' ? `the sources did not answer within ${HOVER_TIMEOUT_MS / 1000} s` : result.message;
    return new vscode.Hover(missingHover(match.traceId, message), range);
  }
}

class TraceIdLinkProvider implements vscode.DocumentLinkProvider {
  provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    for (const range of this.rangesToScan(document)) {
      for (let line = range.start.line; line <= range.end.line && !token.isCancellationRequested; line++) {
        const text = document.lineAt(line).text;
        for (const m of recogniseTraceIds(text)) {
          if (!atLeast(m.confidence, 'medium')) continue;
          const link = new vscode.DocumentLink(new vscode.Range(line, m.start, line, m.end), vscode.Uri.parse(commandUri('traceLens.openTrace', m.traceId)));
          link.tooltip = 'Open the trace in Trace Lens';
          links.push(link);
        }
      }
    }
    return links;
  }

  /** Whole small documents; for large ones only what editors show (with a margin), as links are per view. */
  private rangesToScan(document: vscode.TextDocument): vscode.Range[] {
    const whole = new vscode.Range(0, 0, Math.max(0, document.lineCount - 1), 0);
    if (document.lineCount <= LARGE_DOCUMENT_LINES) return [whole];
    const visible = vscode.window.visibleTextEditors.filter((e) => e.document === document).flatMap((e) => e.visibleRanges);
    return visible.map((r) => new vscode.Range(Math.max(0, r.start.line - 50), 0, Math.min(document.lineCount - 1, r.end.line + 50), 0));
  }
}

interface TraceTerminalLink extends vscode.TerminalLink {
  traceId: string;
}

class TraceIdTerminalLinkProvider implements vscode.TerminalLinkProvider<TraceTerminalLink> {
  provideTerminalLinks(context: vscode.TerminalLinkContext): TraceTerminalLink[] {
    return recogniseTraceIds(context.line)
      .filter((m) => atLeast(m.confidence, 'medium'))
      .map((m) => ({ startIndex: m.start, length: m.end - m.start, tooltip: 'Open the trace in Trace Lens', traceId: m.traceId }));
  }

  handleTerminalLink(link: TraceTerminalLink): void {
    void vscode.commands.executeCommand('traceLens.openTrace', link.traceId);
  }
}

export function registerTraceIdFeatures(
  finder: TraceFinder,
  opened: OpenedTraces,
  findingsOf: (traceId: string) => Promise<TraceFinding[]>,
): vscode.Disposable[] {
  return [
    vscode.languages.registerHoverProvider(SELECTOR, new TraceIdHoverProvider(finder, opened, findingsOf)),
    vscode.languages.registerDocumentLinkProvider(SELECTOR, new TraceIdLinkProvider()),
    vscode.window.registerTerminalLinkProvider(new TraceIdTerminalLinkProvider()),
    vscode.commands.registerCommand('traceLens.copyTraceId', async (traceId: string) => {
      await vscode.env.clipboard.writeText(significantTraceId(traceId));
      void vscode.window.setStatusBarMessage(`Trace Lens: copied trace id ${significantTraceId(traceId)}`, 3000);
    }),
    vscode.commands.registerCommand('traceLens.openTraceAtCursor', async () => {
      const editor = vscode.window.activeTextEditor;
      const position = editor?.selection.active;
      const match = editor && position && matchAt(editor.document.lineAt(position.line).text, position.character);
      if (!match) return void vscode.window.showWarningMessage('Trace Lens: there is no trace id at the cursor.');
      await vscode.commands.executeCommand('traceLens.openTrace', match.traceId);
    }),
  ];
}
