// Child process for tracker-kill.test.ts: writes batches forever until killed.
import { Tracker } from '../../src-main/tracker/tracker.js';

const path = process.argv[2];
if (!path) throw new Error('database path missing');
const tracker = Tracker.open(path);
const BATCH = 200;
for (let batch = 0; ; batch++) {
  const files = Array.from({ length: BATCH }, (_, i) => {
    const n = batch * BATCH + i;
    return {
      assetId: `asset-${n}`,
      version: 'original' as const,
      relPath: `2024/01/01/IMG_${n}.JPG`,
      size: n,
      sha256: 'ab'.repeat(32),
      mtimeMs: 0,
      fileChecksum: `ck-${n}`,
      recordedAt: Date.now(),
    };
  });
  tracker.recordFiles(files);
  process.stdout.write(`batch ${batch}\n`);
}
