// One pace for every Trace Lens CodeLens provider: they share each editor's request schedule in VS Code.
import * as vscode from 'vscode';
import { RefreshPacer } from '../core/timing/refreshPacer';

export class LensRefresh implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly pacer = new RefreshPacer(() => this.emitter.fire());
  /** For a provider's onDidChangeCodeLenses. */
  readonly onDidChange = this.emitter.event;

  /** Something a lens shows changed; VS Code hears of it when it can ask. */
  changed(): void {
    this.pacer.changed();
  }

  /** Wraps a provider's answer so the pace knows when VS Code asked and how long the answer took. */
  async timed<T>(answer: () => Promise<T> | T): Promise<T> {
    const began = this.pacer.begin();
    try {
      return await answer();
    } finally {
      this.pacer.answered(began);
    }
  }

  dispose(): void {
    this.pacer.dispose();
    this.emitter.dispose();
  }
}
