import type { LookupFunction } from 'node:net';

/** How downloads behave; every field has a production default. */
export interface DownloadSettings {
  /** Only tests pass this (the simulator's lookup); production uses the system resolver. */
  dnsLookup?: LookupFunction;
  /** No first byte, or no data for this long while streaming: the attempt fails (ms). */
  idleTimeoutMs?: number;
  /** Consecutive failed attempts without a single new byte before giving up. */
  maxAttempts?: number;
  /** First retry delay; doubles per failure up to maxDelayMs, plus up to baseDelayMs of jitter (ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Fresh URLs fetched per download when one has expired. */
  maxUrlRefreshes?: number;
}

export type ResolvedDownloadSettings = Required<Omit<DownloadSettings, 'dnsLookup'>> & Pick<DownloadSettings, 'dnsLookup'>;

export function resolveDownloadSettings(settings: DownloadSettings = {}): ResolvedDownloadSettings {
  return {
    dnsLookup: settings.dnsLookup,
    idleTimeoutMs: settings.idleTimeoutMs ?? 60_000,
    maxAttempts: settings.maxAttempts ?? 5,
    baseDelayMs: settings.baseDelayMs ?? 1_000,
    maxDelayMs: settings.maxDelayMs ?? 30_000,
    maxUrlRefreshes: settings.maxUrlRefreshes ?? 2,
  };
}

/** Exponential backoff with jitter; a Retry-After from the server wins when it is longer, capped. */
export function retryDelayMs(settings: ResolvedDownloadSettings, failures: number, retryAfter?: Date): number {
  const exponential = Math.min(settings.baseDelayMs * 2 ** Math.max(0, failures - 1), settings.maxDelayMs);
  const jittered = exponential + Math.random() * settings.baseDelayMs;
  const serverAsked = retryAfter ? retryAfter.getTime() - Date.now() : 0;
  return Math.min(Math.max(jittered, serverAsked), settings.maxDelayMs);
}

/** Pre-signed URLs carry signatures in the query: logs get the host and the start of the path only. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname.slice(0, 12)}…`;
  } catch {
    return '(unreadable url)';
  }
}
