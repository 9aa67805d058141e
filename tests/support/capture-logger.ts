import type { Logger } from '../../src-main/log/logger.js';

/**
 * A logger that keeps every line as given, before any redaction: a test reading `text()` proves
 * the code never handed a secret to the log at all.
 */
export function captureLogger(): Logger & { lines: string[]; text(): string } {
  const lines: string[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const log =
      (level: string) =>
      (fields: object | string, message?: string): void => {
        lines.push(`${level} ${JSON.stringify(bindings)} ${typeof fields === 'string' ? fields : `${JSON.stringify(fields)} ${message ?? ''}`}`);
      };
    return {
      fatal: log('fatal'),
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      trace: log('trace'),
      child: (more) => make({ ...bindings, ...more }),
      isLevelEnabled: () => true,
    };
  };
  return Object.assign(make({}), { lines, text: () => lines.join('\n') });
}
