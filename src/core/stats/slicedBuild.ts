// Code statistics rebuilt over every span held, a slice at a time: a million held spans took the extension
// host's thread for a quarter of a second at once, and so did one digest of a million spans (a large opened trace)
// read whole. Spans that come or go while it runs reach it too, so when it is done it holds exactly what a build
// started then would.
import type { CodeStats } from './codeStats';
import type { SpanDigest } from './spanDigest';

export class SlicedBuild {
  /** Each digest to read, by its position; `done` of them are read, and `offset` spans of the next one. */
  private readonly positions: Map<SpanDigest, number>;
  private done = 0;
  private offset = 0;
  private spansRead = 0;

  /** `digests`: every digest held, with its stored flags (a trace let go of meanwhile is flagged 0 there). */
  constructor(
    readonly stats: CodeStats,
    private readonly digests: readonly [SpanDigest, Uint8Array][],
  ) {
    this.positions = new Map(digests.map(([digest], k) => [digest, k]));
  }

  /** The spans read so far. */
  get spans(): number {
    return this.spansRead;
  }

  get finished(): boolean {
    return this.done === this.digests.length;
  }

  /** Reads about `spans` spans more, a digest's part at a time; true when every one is read. */
  step(spans: number): boolean {
    for (let added = 0; this.done < this.digests.length && added < spans;) {
      const [digest, stored] = this.digests[this.done];
      const to = Math.min(digest.clueSet.length, this.offset + spans - added);
      this.stats.addDigest(digest, stored, this.offset, to);
      added += to - this.offset;
      this.spansRead += to - this.offset;
      if (to < digest.clueSet.length) this.offset = to;
      else [this.done, this.offset] = [this.done + 1, 0];
    }
    return this.finished;
  }

  /** A digest stored after the build began. */
  added(digest: SpanDigest): void {
    this.stats.addDigest(digest);
  }

  /** A trace let go of: its spans read already taken out; those not read yet will be read without it (flagged 0). */
  removed(digest: SpanDigest, traceIndex: number): void {
    const at = this.positions.get(digest);
    if (at === undefined || at < this.done) this.stats.removeDigest(digest, traceIndex);
    else if (at === this.done && this.offset > 0) this.stats.removeDigest(digest, traceIndex, 0, this.offset);
  }
}
