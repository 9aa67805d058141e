import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotatingFile } from '../../src-main/log/rotating-file.js';
import { closeLogging, configureLogging, createLogger } from '../../src-main/log/logger.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ips-rotate-'));
});
afterEach(() => {
  closeLogging();
  rmSync(dir, { recursive: true, force: true });
});

describe('rotating log file', () => {
  it('rotates while writing and keeps only the configured number of old files', () => {
    const file = new RotatingFile({ dir, name: 'cli', maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 100; i++) file.write(`${String(i).padStart(3, '0')} ${'x'.repeat(95)}\n`);
    file.close();
    expect(readdirSync(dir).sort()).toEqual(['cli.1.log', 'cli.2.log', 'cli.log']);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(1000);
    const current = readFileSync(join(dir, 'cli.log'), 'utf8');
    expect(current.trim().split('\n').at(-1)).toMatch(/^099 /);
    expect(readFileSync(join(dir, 'cli.1.log'), 'utf8')).not.toContain('099 ');
  });

  it('rotates an oversized file when it is opened', () => {
    writeFileSync(join(dir, 'cli.log'), 'old\n'.repeat(500));
    const file = new RotatingFile({ dir, name: 'cli', maxBytes: 1000, keep: 3 });
    file.write('new\n');
    file.close();
    expect(readFileSync(join(dir, 'cli.log'), 'utf8')).toBe('new\n');
    expect(existsSync(join(dir, 'cli.1.log'))).toBe(true);
  });

  it('writes structured JSON lines with level, time and scope', () => {
    const { logFile } = configureLogging({ logsDir: dir, level: 'info', console: false });
    createLogger('sync').info({ files: 3 }, 'run finished');
    createLogger('sync').debug('not at info level');
    const lines = readFileSync(logFile ?? '', 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, scope: 'sync', files: 3, msg: 'run finished' });
    expect(typeof lines[0]?.time).toBe('number');
  });
});
