/**
 * A hand-damaged secrets.json must not put any part of a secret into an error, an output or a log:
 * the value never parsed, so the log redaction cannot know it. Node 20's JSON.parse message quotes
 * the text around the fault; the product must say where and what to do, never what is there.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../support/capture-logger.js';
import { cliEnv, runCliProcess } from './cli-harness.js';
import { openServiceWorld } from './service-harness.js';

const SECRET = 'tk_zq8Vw3Kd7hQ7wLx93Zp0RvN2mB';
/** A quote lost by hand: the value is bare, so JSON.parse stops inside it. */
const DAMAGED = `{\n  "ntfy-token": "ok",\n  "pushover-token": ${SECRET}\n}\n`;

/** Every 6-character piece of the secret found in `text` (none may be). */
function secretPieces(text: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i + 6 <= SECRET.length; i++) if (text.includes(SECRET.slice(i, i + 6))) pieces.push(SECRET.slice(i, i + 6));
  return pieces;
}

function logsOf(dataDir: string): string {
  const dir = join(dataDir, 'logs');
  try {
    return readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')).join('');
  } catch {
    return '';
  }
}

function expectActionable(message: string): void {
  expect(message).toContain('secrets.json');
  expect(message).toMatch(/not valid JSON near line 3, column \d+/);
  expect(message).toContain('icloud-photo-sync secret set');
}

const base = mkdtempSync(join(tmpdir(), 'secrets-damaged-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('a damaged secrets.json', () => {
  it('JSON.parse itself would quote the secret here (so the test can fail)', () => {
    expect(() => JSON.parse(DAMAGED)).toThrow();
    let message = '';
    try {
      JSON.parse(DAMAGED);
    } catch (error) {
      message = (error as Error).message;
    }
    // On Node 20 the message quotes part of the value; a later Node may not, which only weakens this guard.
    if (process.versions.node.startsWith('20.')) expect(secretPieces(message)).not.toEqual([]);
  });

  it('the CLI (child process) names the file, the place and the fix, and no piece of the secret anywhere', async () => {
    const dataDir = join(base, 'cli-data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'secrets.json'), DAMAGED, { mode: 0o600 });
    const env = cliEnv(null, dataDir);
    const list = await runCliProcess(['secret', 'list'], env);
    const set = await runCliProcess(['secret', 'set', 'ntfy-token'], env, 'another-value\n');
    for (const result of [list, set]) {
      expect(result.exitCode, result.stderr).toBe(2);
      expectActionable(result.stderr);
    }
    const everything = [list.stdout, list.stderr, set.stdout, set.stderr, logsOf(dataDir)].join('\n');
    expect(secretPieces(everything)).toEqual([]);
    expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toBe(DAMAGED);
  }, 60_000);

  it('the service answers its secret commands with the same plain error, and logs no piece of the secret', async () => {
    const logger = captureLogger();
    const w = await openServiceWorld({ assets: 1 }, () => ({ logger }));
    try {
      writeFileSync(join(w.dataDir, 'secrets.json'), DAMAGED, { mode: 0o600 });
      const replies = [
        await w.send({ type: 'notification-status' }),
        await w.send({ type: 'save-notify-key', name: 'ntfy-token', value: 'another-value' }),
        await w.send({ type: 'archive-secrets' }),
      ];
      for (const reply of replies) {
        expect(reply.ok).toBe(false);
        if (!reply.ok) {
          expect(reply.error.code).toBe('CONFIG_INVALID');
          expectActionable(reply.error.message);
        }
      }
      const everything = [JSON.stringify(replies), JSON.stringify(w.events), logger.text(), logsOf(w.dataDir)].join('\n');
      expect(secretPieces(everything)).toEqual([]);
    } finally {
      await w.close();
    }
  }, 60_000);
});
