/**
 * Turns one JSON log line into a short, readable console line: "12:00:01 WARN  sync: message (k=v)".
 * Lines logged with the FILE_ONLY binding (a record of what ran, for the log file) give null.
 */
export const FILE_ONLY = 'fileOnly';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'scope', 'msg', 'err']);

export function formatConsoleLine(jsonLine: string, withTime: boolean): string | null {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : `${jsonLine}\n`;
  }
  if (entry[FILE_ONLY] === true) return null;
  const level = (LEVEL_NAMES[Number(entry.level)] ?? 'LOG').padEnd(5);
  const time = withTime && typeof entry.time === 'number' ? `${new Date(entry.time).toISOString().slice(11, 19)} ` : '';
  const scope = typeof entry.scope === 'string' ? `${entry.scope}: ` : '';
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  const extras = Object.entries(entry)
    .filter(([key]) => !HIDDEN_FIELDS.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  const err = entry.err as { message?: unknown } | undefined;
  if (err && typeof err.message === 'string' && err.message !== message) extras.push(`error=${JSON.stringify(err.message)}`);
  return `${time}${level} ${scope}${message}${extras.length ? ` (${extras.join(', ')})` : ''}\n`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s,()=]/.test(value) ? JSON.stringify(value) : value;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
