/**
 * Delivers the service's events to every listener, at most a few times a second: snapshot changes
 * and progress coalesce (the newest wins), arrived files are batched, a finished run goes at once.
 */
import type { AppEvent } from '../../src-shared/events.js';
import type { AppSnapshot, Arrival, ProgressView, RunView } from '../../src-shared/snapshot.js';
import type { Clock } from './clock.js';

export const MIN_EVENT_GAP_MS = 250;

export type AppEventListener = (event: AppEvent) => void;

export class EventHub {
  private readonly listeners = new Set<AppEventListener>();
  private snapshotDirty = false;
  private progress: ProgressView | null = null;
  private arrivals: Arrival[] = [];
  private lastFlush = 0;
  private cancelFlush: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly snapshot: () => AppSnapshot,
  ) {}

  on(listener: AppEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshotChanged(): void {
    this.snapshotDirty = true;
    this.schedule();
  }

  progressed(progress: ProgressView): void {
    this.progress = progress;
    this.snapshotDirty = true;
    this.schedule();
  }

  arrived(arrival: Arrival): void {
    this.arrivals.push(arrival);
    this.schedule();
  }

  /** Sends what is pending, then the finished run. */
  runFinished(run: RunView): void {
    this.flush();
    this.send({ type: 'run-finished', run });
  }

  /** Sends everything pending now (a run ended, the service stops). */
  flush(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.lastFlush = this.clock.now();
    if (this.arrivals.length) this.send({ type: 'files-arrived', files: this.arrivals.splice(0) });
    if (this.progress) this.send({ type: 'progress', progress: this.progress });
    this.progress = null;
    if (this.snapshotDirty) {
      this.snapshotDirty = false;
      this.send({ type: 'snapshot', snapshot: this.snapshot() });
    }
  }

  private schedule(): void {
    if (this.cancelFlush) return;
    const due = this.lastFlush + MIN_EVENT_GAP_MS;
    if (this.clock.now() >= due) this.flush();
    else this.cancelFlush = this.clock.at(due, () => this.flush());
  }

  private send(event: AppEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One broken view must not stop the others, nor the service.
      }
    }
  }
}
