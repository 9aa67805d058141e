/**
 * Logging for the whole engine: `createLogger(scope)` anywhere, `configureLogging()` once by the
 * entry point (CLI or desktop app). Lines go as JSON to a rotating file in the data folder and,
 * formatted for people, to the console. Every line passes the redaction of ./redact.ts.
 *
 * Loggers made before configureLogging() follow it: each call resolves the current root, because
 * pino children keep the level they were created with.
 */
import { pino } from 'pino';
import type { Logger as PinoLogger } from 'pino';
import { FILE_ONLY, formatConsoleLine } from './console-format.js';
import { redactValue, scrubText } from './redact.js';
import { RotatingFile } from './rotating-file.js';

export type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogFn = { (message: string): void; (fields: object, message?: string): void };

export interface Logger {
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  child(bindings: Record<string, unknown>): Logger;
  isLevelEnabled(level: LevelName): boolean;
}

export interface LoggingOptions {
  /** Folder of the rotating JSON log file; null for no file. */
  logsDir: string | null;
  /** Log file name without extension ("cli", "app"). */
  fileName?: string;
  level: LevelName | 'silent';
  /** Console output; false for none. */
  console: false | { level: LevelName | 'silent'; withTime?: boolean };
  maxFileBytes?: number;
  keepFiles?: number;
}

const LEVEL_VALUES: Record<LevelName | 'silent', number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

let root: PinoLogger = pino({ level: 'silent' });
let generation = 0;
let file: RotatingFile | null = null;
let consoleSink: ((text: string) => void) | null = null;

/** Lets a progress bar take over console writes (to clear and redraw itself around log lines). */
export function setConsoleSink(sink: ((text: string) => void) | null): void {
  consoleSink = sink;
}

export function configureLogging(options: LoggingOptions): { logFile: string | null } {
  closeLogging();
  const streams: Array<{ level: LevelName; stream: { write(line: string): void } }> = [];
  if (options.logsDir && options.level !== 'silent') {
    const target = new RotatingFile({ dir: options.logsDir, name: options.fileName ?? 'cli', maxBytes: options.maxFileBytes, keep: options.keepFiles });
    file = target;
    streams.push({ level: options.level, stream: { write: (line) => target.write(scrubText(line)) } });
  }
  const consoleOptions = options.console;
  if (consoleOptions && consoleOptions.level !== 'silent') {
    streams.push({
      level: consoleOptions.level,
      stream: {
        write: (line) => {
          const text = formatConsoleLine(scrubText(line), consoleOptions.withTime ?? true);
          if (text === null) return;
          if (consoleSink) consoleSink(text);
          else process.stderr.write(text);
        },
      },
    });
  }
  const lowest = streams.reduce<LevelName | 'silent'>((min, s) => (LEVEL_VALUES[s.level] < LEVEL_VALUES[min] ? s.level : min), 'silent');
  root = pino(
    {
      level: lowest,
      base: { pid: process.pid },
      // Errors are already reduced to safe fields by redactValue; pino's own serializer would relabel them.
      serializers: { err: (value: unknown) => value },
      formatters: {
        log: (fields) => redactValue(fields) as Record<string, unknown>,
        bindings: (bindings) => redactValue(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
          method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    streams.length ? pino.multistream(streams) : undefined,
  );
  generation++;
  return { logFile: file?.path ?? null };
}

export function closeLogging(): void {
  file?.close();
  file = null;
  root = pino({ level: 'silent' });
  generation++;
}

class ScopedLogger implements Logger {
  private cached: { generation: number; logger: PinoLogger } | null = null;

  constructor(private readonly bindings: Record<string, unknown>) {}

  private target(): PinoLogger {
    if (!this.cached || this.cached.generation !== generation) this.cached = { generation, logger: root.child(this.bindings) };
    return this.cached.logger;
  }

  private emit(level: LevelName, args: unknown[]): void {
    const logger = this.target();
    if (!logger.isLevelEnabled(level)) return;
    (logger[level] as (...inner: unknown[]) => void).apply(logger, args);
  }

  fatal: LogFn = (...args: unknown[]) => this.emit('fatal', args);
  error: LogFn = (...args: unknown[]) => this.emit('error', args);
  warn: LogFn = (...args: unknown[]) => this.emit('warn', args);
  info: LogFn = (...args: unknown[]) => this.emit('info', args);
  debug: LogFn = (...args: unknown[]) => this.emit('debug', args);
  trace: LogFn = (...args: unknown[]) => this.emit('trace', args);

  child(bindings: Record<string, unknown>): Logger {
    return new ScopedLogger({ ...this.bindings, ...bindings });
  }

  isLevelEnabled(level: LevelName): boolean {
    return this.target().isLevelEnabled(level);
  }
}

/** A logger whose lines go to the log file only, never to the console (records of what ran). */
export function createFileLogger(scope: string): Logger {
  return new ScopedLogger({ scope, [FILE_ONLY]: true });
}

/** A logger for one part of the program, e.g. createLogger('icloud.auth'). */
export function createLogger(scope: string): Logger {
  return new ScopedLogger({ scope });
}
