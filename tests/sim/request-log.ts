import { createWriteStream, type WriteStream } from 'node:fs';
import type { SimRole } from './types.js';

/** One line of the JSONL log. Never bodies, query strings, headers, tokens, cookies or codes. */
export interface RequestLogEntry {
  time: string;
  role: SimRole | 'unknown';
  method: string;
  path: string;
  status: number;
  /** True when the connection ended before the answer was complete (e.g. an injected reset). */
  aborted?: boolean;
  /** Set when a fault was injected instead of the normal answer. */
  fault?: string;
}

export interface ViolationEntry {
  time: string;
  role: SimRole;
  method: string;
  path: string;
  reason: string;
}

/** Keeps every request and every violation in memory and, with a path, appends them as JSONL. */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private readonly violationEntries: ViolationEntry[] = [];
  private readonly stream: WriteStream | undefined;
  private closed = false;

  constructor(logPath?: string) {
    this.stream = logPath ? createWriteStream(logPath, { flags: 'a' }) : undefined;
  }

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    this.write(entry);
  }

  recordViolation(entry: ViolationEntry): void {
    this.violationEntries.push(entry);
    this.write({ ...entry, violation: true });
  }

  /** A request aborted while the simulator shuts down may finish after the file is closed. */
  private write(line: object): void {
    if (!this.closed) this.stream?.write(`${JSON.stringify(line)}\n`);
  }

  requests(): RequestLogEntry[] {
    return [...this.entries];
  }

  violations(): ViolationEntry[] {
    return [...this.violationEntries];
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** Paths are logged without their query string; this strips anything after `?` defensively. */
export function loggablePath(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path.length > 300 ? `${path.slice(0, 300)}…` : path;
}
