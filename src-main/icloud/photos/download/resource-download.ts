import { PassThrough, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingMessage } from 'node:http';
import { ICloudError } from '../../errors.js';
import { retryAfterDate } from '../../http.js';
import type { Logger } from '../../logger.js';
import { networkError, serverError } from '../photos-errors.js';
import { describeUrl, retryDelayMs, type ResolvedDownloadSettings } from './download-settings.js';
import { looksLikeErrorPage, openResponse, readHead } from './open-response.js';

export interface DownloadJob {
  url: string;
  /** The resource's full size in bytes (from the record). */
  size: number;
  offset: number;
  signal?: AbortSignal;
  /** Fetches a fresh pre-signed URL when the current one has expired. */
  refreshUrl: () => Promise<string>;
  /** For logs only (asset id and version; no URL). */
  label: string;
}

interface Body {
  stream: IncomingMessage;
  /** Bytes at the front of this body that the caller already has (Range ignored or resumed). */
  skip: number;
}

/**
 * Streams bytes [offset, size) of a resource. Every transient failure (5xx, 429, reset, stall,
 * short body) is retried with backoff by resuming with Range from the last byte handed out, so
 * the caller sees one uninterrupted stream. When the server ignores Range (200 instead of 206)
 * the bytes before the wanted position are read and dropped: the stream still starts at
 * `offset`. An expired URL (403/410, or a wrong-size error page) is replaced by a fresh one.
 * The stream errors when it cannot deliver exactly `size - offset` bytes.
 */
export class ResourceDownload {
  private position: number;
  private url: string;
  private failures = 0;
  private refreshes = 0;
  private readonly output = new PassThrough();

  constructor(
    private readonly job: DownloadJob,
    private readonly settings: ResolvedDownloadSettings,
    private readonly logger: Logger,
  ) {
    this.position = job.offset;
    this.url = job.url;
  }

  /** Resolves once the first good response has arrived; rejects if none can be had. */
  async start(): Promise<Readable> {
    if (this.job.offset > this.job.size) throw serverError(`Cannot resume ${this.job.label} at ${this.job.offset}: it has ${this.job.size} bytes.`);
    if (this.job.offset === this.job.size) return Readable.from([]);
    const first = await this.connect();
    this.stopOnAbort();
    void this.pump(first).catch((error: unknown) => this.fail(error));
    return this.output;
  }

  /** Ends the output when the caller aborts; the listener goes with the output, so a shared signal does not collect one per download. */
  private stopOnAbort(): void {
    const signal = this.job.signal;
    if (!signal) return;
    const onAbort = (): void => this.fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    this.output.once('close', () => signal.removeEventListener('abort', onAbort));
  }

  /**
   * Ends the output with an error. The caller may not be reading yet (it can abort first): an
   * 'error' nobody hears would crash the process, while the stream stays errored for a later read.
   */
  private fail(error: unknown): void {
    if (this.output.listenerCount('error') === 0) this.output.once('error', () => undefined);
    this.output.destroy(toError(error));
  }

  private async pump(first: Body): Promise<void> {
    let body: Body | undefined = first;
    while (body) {
      const progressed = await this.copy(body);
      if (this.output.destroyed) return;
      if (this.position === this.job.size) {
        this.output.end();
        return;
      }
      if (progressed) this.failures = 0;
      this.failures += 1;
      if (this.failures >= this.settings.maxAttempts) {
        throw networkError(`${this.job.label}: connection kept dropping at byte ${this.position} of ${this.job.size}.`, undefined);
      }
      this.logger.info({ asset: this.job.label, at: this.position, of: this.job.size }, 'download interrupted; resuming');
      await this.pause();
      body = await this.connect();
    }
  }

  /** Copies one response body to the output; true when it delivered new bytes. */
  private async copy({ stream, skip }: Body): Promise<boolean> {
    const before = this.position;
    let toSkip = skip;
    const stop = (): void => void stream.destroy();
    this.output.once('close', stop);
    try {
      for await (const raw of stream) {
        let chunk = raw as Buffer;
        if (toSkip > 0) {
          const dropped = Math.min(toSkip, chunk.length);
          toSkip -= dropped;
          chunk = chunk.subarray(dropped);
        }
        if (chunk.length === 0) continue;
        if (this.position + chunk.length > this.job.size) {
          throw serverError(`${this.job.label}: more bytes than the ${this.job.size} iCloud announced.`);
        }
        this.position += chunk.length;
        if (!this.output.write(chunk)) await waitForDrain(this.output);
        if (this.output.destroyed) break;
      }
    } catch (error) {
      if (error instanceof ICloudError) throw error;
      this.logger.debug({ asset: this.job.label, errorCode: codeOf(error) }, 'download stream failed');
    } finally {
      this.output.off('close', stop);
      stream.destroy();
    }
    return this.position > before;
  }

  /** Opens a response at the current position, retrying and refreshing the URL as needed. */
  private async connect(): Promise<Body> {
    for (;;) {
      this.job.signal?.throwIfAborted();
      let opened;
      try {
        opened = await openResponse(this.url, this.position, this.settings);
      } catch (error) {
        await this.failed(`network error ${codeOf(error) ?? ''}`.trim(), undefined, error);
        continue;
      }
      if (opened.kind === 'body') {
        const { stream, start, contentLength } = opened;
        const expected = this.job.size - start;
        if (start > this.position) {
          stream.destroy();
          throw serverError(`${this.job.label}: asked for byte ${this.position}, got a range from ${start}.`);
        }
        if (contentLength !== undefined && contentLength !== expected) {
          const head = await readHead(stream);
          if (looksLikeErrorPage(head)) {
            await this.refresh(`an error page instead of the file (${contentLength} bytes)`);
            continue;
          }
          throw serverError(`${this.job.label}: iCloud sends ${contentLength} bytes where ${expected} were expected.`);
        }
        if (start < this.position) {
          this.logger.info({ asset: this.job.label, from: start, wanted: this.position }, 'server ignored Range; skipping bytes already delivered');
        }
        return { stream, skip: this.position - start };
      }
      if (opened.kind === 'expired') await this.refresh(`status ${opened.status}`);
      else if (opened.kind === 'transient') await this.failed(`status ${opened.status}`, retryAfterDate(opened.headers));
      else throw serverError(`${this.job.label}: the download answered ${opened.status}.`, opened.status);
    }
  }

  private async refresh(why: string): Promise<void> {
    this.refreshes += 1;
    if (this.refreshes > this.settings.maxUrlRefreshes) {
      throw serverError(`${this.job.label}: the download link keeps failing after ${this.settings.maxUrlRefreshes} fresh links (${why}).`);
    }
    this.logger.info({ asset: this.job.label, host: describeUrl(this.url), why }, 'download link expired; fetching a fresh one');
    this.url = await this.job.refreshUrl();
  }

  private async failed(why: string, retryAfter?: Date, error?: unknown): Promise<void> {
    this.failures += 1;
    // Knocking before the time Apple asked for extends the block: stop, and say when to come back.
    if (retryAfter && retryAfter.getTime() - Date.now() > this.settings.maxDelayMs) {
      throw new ICloudError('THROTTLED', { detail: `${this.job.label}: iCloud asked to wait before downloading again (${why}).`, retryAfter });
    }
    if (this.failures >= this.settings.maxAttempts) {
      throw networkError(`${this.job.label}: download failed ${this.failures} times (${why}) at ${describeUrl(this.url)}.`, error);
    }
    this.logger.info({ asset: this.job.label, why, attempt: this.failures }, 'download attempt failed; retrying');
    await this.pause(retryAfter);
  }

  private async pause(retryAfter?: Date): Promise<void> {
    const signal = this.job.signal;
    await sleep(retryDelayMs(this.settings, this.failures, retryAfter), undefined, signal ? { signal } : {});
  }
}

function waitForDrain(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
