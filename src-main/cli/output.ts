/**
 * Command results for people (aligned tables, "key: value" blocks) and for scripts (--json, --csv).
 * Results go to stdout; logs and progress go to stderr, so `--json | jq` always works.
 */
export type OutputFormat = 'human' | 'json' | 'csv';
export type Cell = string | number | boolean | null | undefined;

export interface Table {
  /** `shrink`: this column may be cut (in the middle, with "…") so the table fits TABLE_WIDTH. */
  columns: Array<{ key: string; title: string; shrink?: boolean }>;
  rows: Array<Record<string, Cell>>;
}

/** Human tables fit a classic 80-column terminal (and an e-mail from cron). */
export const TABLE_WIDTH = 80;
const GAP = 2;
const MIN_SHRUNK = 12;

export function formatTable(table: Table, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(table.rows, null, 2)}\n`;
  if (format === 'csv') {
    const lines = [table.columns.map((c) => csvCell(c.key)).join(',')];
    for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(row[c.key])).join(','));
    return `${lines.join('\n')}\n`;
  }
  if (table.rows.length === 0) return '(none)\n';
  const cells = table.rows.map((row) => table.columns.map((c) => humanCell(row[c.key])));
  const widths = fitWidths(
    table.columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => (r[i] ?? '').length))),
    table.columns.map((c) => c.shrink === true),
  );
  const line = (values: string[]) => values.map((v, i) => cut(v, widths[i] ?? 0).padEnd(widths[i] ?? 0)).join(' '.repeat(GAP)).trimEnd();
  return `${[line(table.columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}

/** Narrows the widest shrinkable column, one character at a time, until the table fits. */
function fitWidths(natural: number[], shrinkable: boolean[]): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP * (widths.length - 1);
  while (total() > TABLE_WIDTH) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (shrinkable[i] && w > MIN_SHRUNK && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
}

/** Keeps the start and the end (a path's folder and file name), with "…" between. */
function cut(text: string, width: number): string {
  if (text.length <= width) return text;
  const tail = Math.ceil((width - 1) / 2);
  return `${text.slice(0, width - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/**
 * Lines of "label  text" for people, the text wrapped at word boundaries so that each line fits
 * TABLE_WIDTH (a single word longer than that, like a long path, keeps its own line).
 */
export function formatLabelled(items: Array<{ label: string; text: string }>): string {
  const labelWidth = Math.max(...items.map((item) => item.label.length));
  const indent = ' '.repeat(labelWidth + GAP);
  const room = Math.max(20, TABLE_WIDTH - indent.length);
  const out: string[] = [];
  for (const { label, text } of items) {
    const lines: string[] = [];
    for (const word of text.split(' ')) {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] ?? '').length + 1 + word.length <= room) lines[last] = `${lines[last]} ${word}`;
      else lines.push(word);
    }
    lines.forEach((line, i) => out.push(`${i === 0 ? label.padEnd(labelWidth + GAP) : indent}${line}`.trimEnd()));
  }
  return `${out.join('\n')}\n`;
}

/** A single record: "key: value" lines for people, an object for --json, a one-row table for --csv. */
export function formatRecord(record: Record<string, Cell>, format: OutputFormat, titles: Record<string, string> = {}): string {
  if (format === 'json') return `${JSON.stringify(record, null, 2)}\n`;
  const keys = Object.keys(record);
  if (format === 'csv') return formatTable({ columns: keys.map((key) => ({ key, title: key })), rows: [record] }, 'csv');
  const labels = keys.map((key) => titles[key] ?? key);
  const width = Math.max(...labels.map((l) => l.length));
  return `${keys.map((key, i) => `${`${labels[i]}:`.padEnd(width + 2)}${humanCell(record[key])}`).join('\n')}\n`;
}

function humanCell(value: Cell): string {
  if (value === null || value === undefined) return '-';
  return String(value);
}

function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** How every command states a failure on stderr: the plain message, then its catalogue code. */
export function errorLine(message: string, code: string | undefined | null): string {
  return `Error: ${message}${code ? ` [${code}]` : ''}\n`;
}

/** A moment in ISO 8601 (UTC, whole seconds): the one date format of every output. */
export function formatTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Whole days from now until `end`; a started day counts, so exactly 30 days ahead is 30. */
export function daysUntil(end: Date, now = Date.now()): number {
  return Math.ceil((end.getTime() - now) / 86_400_000);
}
