/** Escapes text from traces and backends for a MarkdownString: shown as text, never as markup or a link. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&').replace(/\r?\n/g, ' ');
}
