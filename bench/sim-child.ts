import { downloadUrl } from '../tests/sim/content/index.js';
import { startSimulator, type SimulatorOptions } from '../tests/sim/server.js';
import type { SimQuestion } from './sim-process.js';

/**
 * The simulator in its own process, so the measured process holds only the client: its CPU runs on
 * the other core and its memory (a 100k-asset library) never counts in our figures.
 * The options arrive as the first IPC message (not in argv, where the TLS key would show in `ps`);
 * the ready message and the answers to the bench's questions (sim-process.ts) go back the same way.
 */
const options = await new Promise<Partial<SimulatorOptions>>((resolve) => process.once('message', (message) => resolve(message as Partial<SimulatorOptions>)));
const sim = await startSimulator({ mfa: 'none', ...options });
const URL_TTL_MS = 60 * 60 * 1000;

function answer(question: SimQuestion): unknown {
  switch (question.ask) {
    case 'requests': {
      const log = sim.requestLog();
      return { apple: log.filter((r) => r.role !== 'content').length, content: log.filter((r) => r.role === 'content').length };
    }
    case 'urls':
      return question.checksums.map((checksum) => {
        const found = sim.library.findResource(checksum);
        if (!found) throw new Error(`no resource ${checksum}`);
        return downloadUrl(sim.library, sim.urls.content, found.resource, found.asset.zoneName, Date.now() + URL_TTL_MS, found.asset.id);
      });
    case 'manifest':
      return [...sim.library.assets()].map((a) => ({
        masterId: a.masterId, filename: a.filename, assetDate: a.assetDate, addedDate: a.addedDate, isLive: a.isLive,
        files: a.resources.filter((r) => r.field === 'resOriginal' || r.field === 'resOriginalVidCompl').map((r) => ({ field: r.field, fileChecksum: r.fileChecksum, size: r.size })),
      }));
    case 'tokens':
      return sim.library.zoneNames().map((zoneName) => ({ zoneName, token: sim.library.zoneSyncToken(zoneName) }));
    case 'databaseTokens':
      return (['private', 'shared'] as const).map((database) => {
        const position = sim.library.databaseChanges(undefined, database);
        if (!position.ok) throw new Error(position.reason);
        return { database, token: position.syncToken };
      });
    case 'add':
      for (let i = 0; i < question.count; i++) sim.library.addAsset();
      return question.count;
    case 'change': {
      // The newest photos: listed on the first pages, long before the later pages are read.
      const lib = sim.library;
      const newest = lib.list(lib.primaryZoneName, 'all', 0, question.trash + question.hide + question.purge);
      newest.slice(0, question.trash).forEach((asset) => lib.deleteAsset(asset));
      newest.slice(question.trash, question.trash + question.hide).forEach((asset) => lib.hideAsset(asset));
      newest.slice(question.trash + question.hide).forEach((asset) => lib.purgeAsset(asset));
      for (let i = 0; i < question.add; i++) lib.addAsset();
      return newest.length + question.add;
    }
    case 'visible':
      // The CPLAsset record names a listing of the personal library must end with.
      return [...sim.library.assets(sim.library.primaryZoneName)].filter((a) => !a.isDeleted && !a.isHidden && !a.accessDenied).map((a) => a.id);
    case 'cpu': {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1e6;
    }
  }
}

const shutdown = async () => {
  await sim.close();
  process.exit(0);
};
process.on('disconnect', () => void shutdown());
process.on('message', (message: 'close' | { id: number; question: SimQuestion }) => {
  if (message === 'close') {
    void shutdown();
    return;
  }
  try {
    process.send?.({ id: message.id, answer: answer(message.question) });
  } catch (error) {
    process.send?.({ id: message.id, error: (error as Error).message });
  }
});
process.send?.({ urls: sim.urls, account: sim.account });
