import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../../src-shared/errors.js';
import { EXIT, exitCodeFor } from '../../src-main/cli/exit-codes.js';
import { formatBytes, formatLabelled, formatRecord, formatTable } from '../../src-main/cli/output.js';
import { describeProgress, formatDuration } from '../../src-main/cli/progress.js';
import { exitCodeOfSummary } from '../../src-main/cli/perform-sync.js';
import type { SyncSummary } from '../../src-main/sync/sync-summary.js';

const table = {
  columns: [
    { key: 'path', title: 'Path' },
    { key: 'size', title: 'Bytes' },
  ],
  rows: [
    { path: '2024/01/a, "b".jpg', size: 10 },
    { path: 'c.jpg', size: null },
  ],
};

describe('CLI output', () => {
  it('prints aligned tables for people, quoted CSV and JSON for scripts', () => {
    expect(formatTable(table, 'human')).toBe('Path                Bytes\n------------------  -----\n2024/01/a, "b".jpg  10\nc.jpg               -\n');
    expect(formatTable(table, 'csv')).toBe('path,size\n"2024/01/a, ""b"".jpg",10\nc.jpg,\n');
    expect(JSON.parse(formatTable(table, 'json'))).toEqual(table.rows);
    expect(formatRecord({ a: 1, long: 'x' }, 'human', { a: 'A' })).toBe('A:    1\nlong: x\n');
  });

  it('fits human tables in 80 columns by cutting shrinkable columns in the middle; scripts get whole values', () => {
    const long = `2024/01/31/${'x'.repeat(90)}.HEIC`;
    const wide = { columns: [{ key: 'path', title: 'Path', shrink: true }, { key: 'size', title: 'Size' }], rows: [{ path: long, size: '1.5 MB' }] };
    const lines = formatTable(wide, 'human').trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[2]).toMatch(/^2024\/01\/31\/x+…x+\.HEIC {2}1\.5 MB$/);
    expect(formatTable(wide, 'csv')).toContain(long);
  });

  it('wraps labelled text at word boundaries within 80 columns', () => {
    const text = formatLabelled([{ label: 'warn  trust', text: 'ends in 3 days: then a new code is needed, so run the sign-in again before it ends to keep syncing' }]);
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBe(2);
    expect(lines[1]).toMatch(/^ {13}\S/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('formats sizes, durations and progress', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(7260)).toBe('2h01m');
    expect(describeProgress({ filesDone: 5, filesTotal: 10, bytesDone: 1024 * 1024, bytesTotal: 2 * 1024 * 1024 }, 1000)).toBe(
      '5/10 files, 1.0 MB/2.0 MB, 1.0 MB/s, ETA 1s',
    );
  });
});

describe('exit codes', () => {
  it('maps every catalogue code to a documented exit code', () => {
    const documented = new Set<number>(Object.values(EXIT));
    for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) expect(documented.has(exitCodeFor(code)), code).toBe(true);
    expect(exitCodeFor('CONFIG_INVALID')).toBe(2);
    expect(exitCodeFor('CODE_REQUIRED')).toBe(3);
    expect(exitCodeFor('THROTTLED')).toBe(4);
    expect(exitCodeFor('MASS_DELETION')).toBe(6);
    expect(exitCodeFor('ALREADY_RUNNING')).toBe(7);
    expect(exitCodeFor('FOLDER_MISSING')).toBe(8);
    expect(exitCodeFor(undefined)).toBe(1);
  });

  it('turns a run summary into its exit code: partial failure is 5', () => {
    const summary = { outcome: 'success', errorCode: null } as SyncSummary;
    expect(exitCodeOfSummary(summary)).toBe(0);
    expect(exitCodeOfSummary({ ...summary, outcome: 'partial' })).toBe(5);
    expect(exitCodeOfSummary({ ...summary, outcome: 'disk-full', errorCode: 'DISK_FULL' })).toBe(10);
  });
});
