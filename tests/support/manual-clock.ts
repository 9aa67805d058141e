import type { Clock } from '../../src-main/app/clock.js';

/**
 * A clock the test moves by hand: advance() fires the timers that fall due on the way, in order;
 * sleep() moves time without firing anything, as a suspended laptop does until it wakes.
 */
export class ManualClock implements Clock {
  private timers: Array<{ time: number; fn: () => void; id: number }> = [];
  private nextId = 0;

  constructor(private time = Date.UTC(2026, 0, 5, 9, 0, 0)) {}

  now(): number {
    return this.time;
  }

  at(time: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ time, fn, id });
    return () => {
      this.timers = this.timers.filter((timer) => timer.id !== id);
    };
  }

  /** Moves time on by `ms`, firing each due timer at its own time and letting its work settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.time <= end).sort((a, b) => a.time - b.time)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = Math.max(this.time, due.time);
      due.fn();
      await settle();
    }
    this.time = end;
    await settle();
  }

  /** Time passes while nothing runs (the machine is asleep). */
  sleep(ms: number): void {
    this.time += ms;
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}

/** Lets promise chains and I/O callbacks queued so far run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
