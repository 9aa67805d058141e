import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { NO_FAULTS, type FaultOptions, type SimRole } from './types.js';
import { createPrng } from './prng.js';

/** The faults the core applies before any route runs; reset/truncate are the content handler's. */
export class FaultInjector {
  private current: FaultOptions;
  /** The roles the before-route faults hit; undefined = every role. */
  private roles: readonly SimRole[] | undefined;
  private readonly random: () => number;

  constructor(seed: number, initial: Partial<FaultOptions>) {
    this.current = { ...NO_FAULTS, ...initial };
    // A stream of its own, so fault decisions do not shift the content handler's draws.
    this.random = createPrng((seed ^ 0x5eedfa17) >>> 0);
  }

  get(): FaultOptions {
    return this.current;
  }

  set(partial: Partial<FaultOptions>, onlyRoles?: readonly SimRole[]): void {
    this.current = { ...this.current, ...partial };
    this.roles = onlyRoles;
  }

  /** Delays, then maybe answers the request itself; returns the fault's name when it did. */
  async applyBefore(res: ServerResponse, role: SimRole): Promise<string | undefined> {
    if (this.roles && !this.roles.includes(role)) return undefined;
    const { slowMs, jitterMs, errorRate, retryAfterRate, retryAfterSeconds } = this.current;
    const wait = slowMs + (jitterMs > 0 ? this.random() * jitterMs : 0);
    if (wait > 0) await delay(wait);
    if (errorRate > 0 && this.random() < errorRate) {
      const status = this.random() < 0.5 ? 500 : 502;
      res.writeHead(status, { 'Content-Type': 'text/html;charset=UTF-8' });
      res.end(`<html><body><h1>${status} Injected server error</h1></body></html>`);
      return `error${status}`;
    }
    if (retryAfterRate > 0 && this.random() < retryAfterRate) {
      res.writeHead(503, { 'Content-Type': 'text/html;charset=UTF-8', 'Retry-After': String(retryAfterSeconds) });
      res.end('<html><body><h1>Service Temporarily Unavailable</h1></body></html>');
      return 'retryAfter';
    }
    return undefined;
  }
}
