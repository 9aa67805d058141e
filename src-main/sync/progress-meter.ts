import type { SyncEventListener } from './sync-events.js';

const EMIT_EVERY_MS = 250;

/** Counts files and bytes and emits progress events, at most a few per second. */
export class ProgressMeter {
  private filesDone = 0;
  private bytesDone = 0;
  private readonly startedAt = Date.now();
  private lastEmit = 0;

  constructor(
    private readonly filesTotal: number,
    private readonly bytesTotal: number,
    private readonly emit: SyncEventListener,
  ) {}

  addBytes(count: number): void {
    this.bytesDone += count;
    if (Date.now() - this.lastEmit >= EMIT_EVERY_MS) this.flush();
  }

  /** Counts a file; emits at most every EMIT_EVERY_MS (a run of small files finishes hundreds a second), and for the last one. */
  fileDone(): void {
    this.filesDone++;
    if (this.filesDone === this.filesTotal || Date.now() - this.lastEmit >= EMIT_EVERY_MS) this.flush();
  }

  flush(): void {
    this.lastEmit = Date.now();
    const seconds = Math.max((this.lastEmit - this.startedAt) / 1000, 0.001);
    this.emit({
      type: 'progress',
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond: Math.round(this.bytesDone / seconds),
    });
  }
}
