import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPaths, trackerFile } from '../src-main/config/paths.js';
import { clientQuery } from '../src-main/icloud/apple-headers.js';
import { silentLogger } from '../src-main/icloud/logger.js';
import { SessionStore } from '../src-main/icloud/session/session-store.js';
import { Tracker } from '../src-main/tracker/tracker.js';
import { runMeasured, type MeasuredRun } from './measured-process.js';
import type { SimProcess } from './sim-process.js';

const SCRIPT = fileURLToPath(new URL('./minimal-requests.mjs', import.meta.url));

/**
 * The floor of a no-change run (issue 11 target 4): a bare `node` start plus the requests the CLI's
 * no-change run makes (changes/database per database with the saved database tokens, the saved
 * session's cookies and query), sent by a minimal script in its own process. Throws if the
 * simulator says something changed: then it is not the floor of a no-change run.
 */
export async function noChangeFloor(sim: SimProcess, dataDir: string, caPath: string): Promise<MeasuredRun & { requests: number }> {
  const appleId = sim.account.appleId;
  const loaded = await new SessionStore(dataPaths(dataDir).sessionsDir, appleId, silentLogger).load();
  if (!loaded?.data.ckdatabasewsUrl) throw new Error('the CLI saved no web session');
  const tracker = Tracker.openSnapshot(trackerFile(dataPaths(dataDir), appleId));
  const tokens = tracker.databaseTokens();
  tracker.close();
  if (tokens.length === 0) throw new Error('the tracker holds no database token');
  const query = new URLSearchParams({ ...clientQuery(loaded.data), remapEnums: 'true', getCurrentSyncToken: 'true' });
  const base = `${loaded.data.ckdatabasewsUrl}/database/1/com.apple.photos.cloud/production`;
  const posts = await Promise.all(
    tokens.map(async ({ database, token }) => {
      const url = `${base}/${database}/changes/database?${query}`;
      const cookie = await loaded.jar.getCookieString(url);
      return { url, body: JSON.stringify({ syncToken: token }), headers: { 'content-type': 'text/plain', origin: sim.urls.webOrigin, cookie } };
    }),
  );
  // The request file holds the session's cookies: a private temp folder, removed at once.
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  try {
    const file = join(dir, 'requests.json');
    writeFileSync(file, JSON.stringify(posts), { mode: 0o600 });
    const run = await runMeasured(process.execPath, [SCRIPT, file], { env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: caPath } });
    if (run.exitCode !== 0) throw new Error(`the minimal script exited ${run.exitCode}: ${run.stderr.slice(-500)}`);
    const answer = JSON.parse(run.stdout) as { requests: number; changedZones: number };
    if (answer.changedZones !== 0) throw new Error(`the simulator reported ${answer.changedZones} changed zones to the floor script`);
    return { ...run, requests: answer.requests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
