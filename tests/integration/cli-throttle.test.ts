import { afterEach, describe, expect, it } from 'vitest';
import { openSignedInCliWorld, type SignedInCliWorld } from './cli-harness.js';

const TWO_HOURS_MS = 2 * 60 * 60_000;
let world: SignedInCliWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** iCloud answers every Photos database call with 503 and Retry-After 7200; sign-in still works. */
async function throttledOncePhotosStart(): Promise<SignedInCliWorld> {
  const opened = await openSignedInCliWorld({ assets: 4, seed: 3 });
  opened.sim.setFaults({ retryAfterRate: 1, retryAfterSeconds: 7200 }, ['ckdatabase']);
  return (world = opened);
}

describe('cli: throttled by iCloud during a run', () => {
  it('sync --json carries retryAfter', async () => {
    const w = await throttledOncePhotosStart();
    const before = Date.now();
    const json = await w.cli(['sync', '--json']);
    const summary = JSON.parse(json.stdout) as { errorCode: string; retryAfter: string };
    expect(summary.errorCode).toBe('THROTTLED');
    expect(Date.parse(summary.retryAfter)).toBeGreaterThanOrEqual(before + TWO_HOURS_MS - 1000);
    expect(json.exitCode).not.toBe(0);
  });

  it('sync says when to try again (a run stopped before its plan prints only the error)', async () => {
    const human = await (await throttledOncePhotosStart()).cli(['sync']);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^Error: .+ \[THROTTLED\]$/m);
    expect(human.stderr).toMatch(/Try again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\./);
  });

  it('the daemon waits until Apple\'s Retry-After (longer than its default wait), not its 10 s interval', async ({ skip }) => {
    skip(process.platform === 'win32', 'sends SIGTERM to the daemon; Windows ends the process outright instead');
    const w = await throttledOncePhotosStart();
    const before = Date.now();
    const daemon = w.spawnCli(['daemon', '--interval', '10s']);
    const exited = new Promise<number | null>((resolve) => daemon.on('close', resolve));
    let text = '';
    const announced = new Promise<string>((resolve) =>
      daemon.stderr?.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const match = /next run at (\S+)/.exec(text);
        if (match) resolve(match[1]!);
      }),
    );
    const nextRunAt = Date.parse(await announced);
    expect(nextRunAt).toBeGreaterThanOrEqual(before + TWO_HOURS_MS - 1000);
    daemon.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Nothing after the throttled run: the daemon did not knock again.
    expect(text.match(/run finished/g)).toHaveLength(1);
  }, 60_000);
});
