import { closeSync, fstatSync, fsync, futimesSync, openSync, read, write } from 'node:fs';
import { promisify } from 'node:util';

const fsyncAsync = promisify(fsync);
const readAsync = promisify(read);
const writeAsync = promisify(write);

/**
 * A file (or a folder, to fsync it) open by descriptor, for downloads. The quick calls (open, size, dating, close) run on the
 * main thread: on libuv's thread pool each was a hand-over between threads that, with a few
 * thousand files a minute on a busy machine, cost far more than the call itself (the small-files
 * bench spent more time in those hand-overs than in its JavaScript). Reads, writes and fsync,
 * which can take long, still run on the pool so downloads keep flowing meanwhile.
 */
export class OpenFile {
  private fd: number | null;
  /** Reads, writes and fsyncs not yet finished: closing under them could let one land in a reused descriptor. */
  private inFlight = 0;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /** Opens with `flags` (fs.constants) and `mode`; throws the system error (EEXIST, ELOOP...). */
  static open(path: string, flags: number, mode: number): OpenFile {
    return new OpenFile(openSync(path, flags, mode));
  }

  private get descriptor(): number {
    if (this.fd === null) throw new Error('The file is already closed.');
    return this.fd;
  }

  /** Writes `length` bytes of `buffer` from `offset`; returns how many were written (a short write is possible). */
  async write(buffer: Buffer, offset = 0, length = buffer.length - offset): Promise<number> {
    return (await this.track(writeAsync(this.descriptor, buffer, offset, length, null))).bytesWritten;
  }

  /** Reads up to `length` bytes at `position` into `buffer` from `offset`; returns how many were read. */
  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return (await this.track(readAsync(this.descriptor, buffer, offset, length, position))).bytesRead;
  }

  size(): number {
    return fstatSync(this.descriptor).size;
  }

  /** Sets access and modification time through the descriptor (never a path a link could be swapped into). */
  setTimes(date: Date): void {
    futimesSync(this.descriptor, date, date);
  }

  /** Makes the bytes and the dates durable. */
  async sync(): Promise<void> {
    await this.track(fsyncAsync(this.descriptor));
  }

  /** Closes the descriptor; closing twice does nothing. Refuses while a read, write or fsync is unfinished. */
  close(): void {
    if (this.fd === null) return;
    if (this.inFlight > 0) throw new Error(`A file was closed with ${this.inFlight} operation(s) unfinished.`);
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }

  private async track<T>(operation: Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await operation;
    } finally {
      this.inFlight -= 1;
    }
  }
}
