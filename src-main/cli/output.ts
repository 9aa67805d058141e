/**
 * Command results for people (aligned tables, "key: value" blocks) and for scripts (--json, --csv).
 * Results go to stdout; logs and progress go to stderr, so `--json | jq` always works.
 */
export type OutputFormat = 'human' | 'json' | 'csv';
export type Cell = string | number | boolean | null | undefined;

export interface Table {
  columns: Array<{ key: string; title: string }>;
  rows: Array<Record<string, Cell>>;
}

export function formatTable(table: Table, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(table.rows, null, 2)}\n`;
  if (format === 'csv') {
    const lines = [table.columns.map((c) => csvCell(c.key)).join(',')];
    for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(row[c.key])).join(','));
    return `${lines.join('\n')}\n`;
  }
  if (table.rows.length === 0) return '(none)\n';
  const cells = table.rows.map((row) => table.columns.map((c) => humanCell(row[c.key])));
  const widths = table.columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(table.columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
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

export function formatTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z';
}
