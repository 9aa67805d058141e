/**
 * Progress of a sync: a one-line bar redrawn in place on a terminal (files, bytes, rate, ETA), or
 * a plain log line every few seconds when stderr is not a terminal (logs, systemd, cron mail).
 */
import { setConsoleSink } from '../log/logger.js';
import type { Logger } from '../log/logger.js';
import { formatBytes } from './output.js';

export interface ProgressSnapshot {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface ProgressReporter {
  update(snapshot: ProgressSnapshot): void;
  finish(): void;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;
const LOG_EVERY_MS = 5000;

export function describeProgress(s: ProgressSnapshot, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (s.bytesDone / elapsedMs) * 1000 : 0;
  const remaining = Math.max(0, s.bytesTotal - s.bytesDone);
  const eta = rate > 0 && remaining > 0 ? formatDuration(remaining / rate) : '-';
  return `${s.filesDone}/${s.filesTotal} files, ${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)}, ${formatBytes(rate)}/s, ETA ${eta}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function createProgressReporter(logger: Logger, terminal = Boolean(process.stderr.isTTY)): ProgressReporter {
  return terminal ? terminalBar() : logLines(logger);
}

function terminalBar(): ProgressReporter {
  const started = Date.now();
  let line = '';
  let lastDraw = 0;
  const clear = () => {
    if (line) process.stderr.write('\r\u001b[2K');
  };
  const draw = () => {
    if (line) process.stderr.write(line);
  };
  // Log lines clear the bar, print, and redraw it underneath.
  setConsoleSink((text) => {
    clear();
    process.stderr.write(text);
    draw();
  });
  return {
    update(s) {
      const now = Date.now();
      if (now - lastDraw < REDRAW_MS && s.filesDone < s.filesTotal) return;
      lastDraw = now;
      const share = s.bytesTotal > 0 ? s.bytesDone / s.bytesTotal : s.filesTotal > 0 ? s.filesDone / s.filesTotal : 1;
      const text = describeProgress(s, now - started);
      // The numbers matter more than the bar: narrow terminals get a shorter bar first.
      // A pseudo-terminal without a size reports 0 columns: treat that as unknown, not as zero width.
      const columns = process.stderr.columns || 100;
      const width = Math.max(0, Math.min(BAR_WIDTH, columns - text.length - 4));
      const filled = Math.round(Math.min(1, share) * width);
      clear();
      line = `${width > 0 ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : ''}${text}`.slice(0, columns - 1);
      draw();
    },
    finish() {
      clear();
      line = '';
      setConsoleSink(null);
    },
  };
}

function logLines(logger: Logger): ProgressReporter {
  const started = Date.now();
  let lastLog = 0;
  let last: ProgressSnapshot | null = null;
  return {
    update(s) {
      last = s;
      const now = Date.now();
      if (now - lastLog < LOG_EVERY_MS) return;
      lastLog = now;
      logger.info(`progress: ${describeProgress(s, now - started)}`);
    },
    finish() {
      if (last && last.filesTotal > 0) logger.info(`progress: ${describeProgress(last, Date.now() - started)}`);
    },
  };
}
