import type { FromWebview, WaterfallViewState } from '../protocol/messages';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  setState(state: WaterfallViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscodeApi: VsCodeApi = acquireVsCodeApi();
