/** Timing, memory sampling and the figures every bench reports. */

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export interface BenchResult {
  bench: string;
  /** One human line, e.g. `download: client 412 MB/s, raw http 455 MB/s, ratio 0.91`. */
  line: string;
  figures: Figure[];
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export const mbPerSecond = (bytes: number, seconds: number) => bytes / 1e6 / seconds;
export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
export const MB = 1e6;

/** Samples heap and RSS while `work` runs; returns the peak growth over the level before it. */
export async function peakGrowth<T>(work: () => Promise<T>, everyMs = 10): Promise<{ result: T; heapBytes: number; rssBytes: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage();
  let heapPeak = before.heapUsed;
  let rssPeak = before.rss;
  const sample = () => {
    const now = process.memoryUsage();
    heapPeak = Math.max(heapPeak, now.heapUsed);
    rssPeak = Math.max(rssPeak, now.rss);
  };
  const timer = setInterval(sample, everyMs);
  try {
    const result = await work();
    sample();
    return { result, heapBytes: heapPeak - before.heapUsed, rssBytes: rssPeak - before.rss };
  } finally {
    clearInterval(timer);
  }
}
