/**
 * A log file that rotates by size: `name.log` -> `name.1.log` -> ... -> `name.<keep>.log`.
 * Writes are synchronous appends so a CLI that exits (or crashes) right after logging loses
 * nothing, and the size check happens both when the file is opened and while writing.
 */
import { closeSync, existsSync, fstatSync, openSync, renameSync, rmSync, writeSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { IS_WINDOWS, PRIVATE_FILE_MODE, ensurePrivateDir } from '../config/paths.js';

export interface RotatingFileOptions {
  dir: string;
  /** File name without extension, e.g. "cli". */
  name: string;
  /** Rotate once the file reaches this many bytes. */
  maxBytes?: number;
  /** Rotated files to keep besides the current one. */
  keep?: number;
}

export class RotatingFile {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private fd: number | null = null;
  private size = 0;

  constructor(private readonly options: RotatingFileOptions) {
    this.path = join(options.dir, `${options.name}.log`);
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.keep = options.keep ?? 5;
    ensurePrivateDir(options.dir);
    this.open();
    if (this.size >= this.maxBytes) this.rotate();
  }

  write(line: string): void {
    if (this.fd === null) return;
    const bytes = Buffer.from(line, 'utf8');
    if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate();
    writeSync(this.fd as number, bytes);
    this.size += bytes.length;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): void {
    this.fd = openSync(this.path, 'a', PRIVATE_FILE_MODE);
    if (!IS_WINDOWS) chmodSync(this.path, PRIVATE_FILE_MODE);
    this.size = fstatSync(this.fd).size;
  }

  private rotatedPath(index: number): string {
    return join(this.options.dir, `${this.options.name}.${index}.log`);
  }

  private rotate(): void {
    this.close();
    rmSync(this.rotatedPath(this.keep), { force: true });
    for (let index = this.keep - 1; index >= 1; index--) {
      if (existsSync(this.rotatedPath(index))) renameSync(this.rotatedPath(index), this.rotatedPath(index + 1));
    }
    if (existsSync(this.path)) renameSync(this.path, this.rotatedPath(1));
    this.open();
  }
}
