import { startSimulator, type SimulatorOptions } from '../tests/sim/server.js';

/**
 * The simulator in its own process, so the measured process holds only the client: its CPU runs on
 * the other core and its memory (a 100k-asset library) never counts in our heap figures.
 * Options come as JSON in argv[2]; the ready message goes over the IPC channel.
 */
const options = JSON.parse(process.argv[2] ?? '{}') as Partial<SimulatorOptions>;
const sim = await startSimulator({ mfa: 'none', ...options });

const shutdown = async () => {
  await sim.close();
  process.exit(0);
};
process.on('disconnect', () => void shutdown());
process.on('message', (message) => {
  if (message === 'close') void shutdown();
});
process.send?.({ urls: sim.urls, account: sim.account });
