import type { CloudKitDatabase, CloudKitTransport } from '../src-main/icloud/photos/cloudkit-transport.js';

export interface RecordedPost {
  database: CloudKitDatabase;
  path: string;
  body: string;
}

/** How long requests took and how many were in flight on average over a span of wall time. */
export interface RequestTiming {
  meanRequestMs: number;
  meanInFlight: number;
}

/** From the durations of the requests made during `wallMs` (their sum over the wall time is the mean in flight). */
export function requestTiming(durationsMs: readonly number[], wallMs: number): RequestTiming {
  const total = durationsMs.reduce((sum, ms) => sum + ms, 0);
  return { meanRequestMs: total / Math.max(durationsMs.length, 1), meanInFlight: total / Math.max(wallMs, 1) };
}

/** Passes calls through to the real transport and keeps each request (and how long it took), so a baseline can replay them. */
export class RecordingTransport implements CloudKitTransport {
  readonly posts: RecordedPost[] = [];
  readonly durationsMs: number[] = [];

  constructor(private readonly inner: CloudKitTransport) {}

  async post(database: CloudKitDatabase, path: string, body: unknown): Promise<unknown> {
    this.posts.push({ database, path, body: JSON.stringify(body) });
    const started = performance.now();
    try {
      return await this.inner.post(database, path, body);
    } finally {
      this.durationsMs.push(performance.now() - started);
    }
  }
}
