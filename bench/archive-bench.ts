/**
 * Archive upload throughput against Azurite (in memory, 127.0.0.1), as a ratio of a plain
 * @azure/storage-blob upload of the same files in the same run: `uploadFile` per file with the same
 * number of files in flight. Ours adds what the plain upload lacks: the hash check of every byte
 * sent, the deterministic block ids (4 MiB blocks for large files, where uploadFile sends one request) and the tracker row per file. Two rounds each,
 * alternating, into fresh containers (content-named blobs would make a second run a no-op).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArchive } from '../src-main/archive/archive-run.js';
import { settingsSchema } from '../src-main/config/settings.js';
import { Tracker } from '../src-main/tracker/tracker.js';
import { startAzurite } from '../tests/support/azurite.js';
import { mbPerSecond, round, timed, type BenchResult } from './measure.js';

interface BenchFile {
  relPath: string;
  bytes: number;
}

function profile(quick: boolean): BenchFile[] {
  const photos = Array.from({ length: quick ? 20 : 60 }, (_, i) => ({ relPath: `2024/05/IMG_${i}.HEIC`, bytes: 2_500_000 + i * 1000 }));
  const videos = Array.from({ length: quick ? 1 : 3 }, (_, i) => ({ relPath: `2024/06/VID_${i}.MOV`, bytes: 24_000_000 + i * 1000 }));
  return [...photos, ...videos];
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: size }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

export async function archiveBench(quick: boolean): Promise<BenchResult> {
  const concurrency = settingsSchema.parse({}).archiveConcurrency;
  const base = mkdtempSync(join(tmpdir(), 'bench-archive-'));
  const folder = join(base, 'Photos');
  const files = profile(quick);
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  for (const file of files) {
    mkdirSync(join(folder, file.relPath, '..'), { recursive: true });
    writeFileSync(join(folder, file.relPath), randomBytes(file.bytes));
  }
  const azurite = await startAzurite();
  try {
    const plain: number[] = [];
    const ours: number[] = [];
    for (let round_ = 0; round_ < 2; round_++) {
      const plainContainer = azurite.service.getContainerClient(`plain-${round_}`);
      await plainContainer.create();
      plain.push(
        (await timed(() => pool(files, concurrency, (f) => plainContainer.getBlockBlobClient(f.relPath).uploadFile(join(folder, f.relPath), { tier: 'Cool' })))).seconds,
      );

      const container = azurite.service.getContainerClient(`ours-${round_}`);
      await container.create();
      const databasePath = join(base, `tracker-${round_}.db`);
      const tracker = Tracker.open(databasePath);
      tracker.recordFiles(files.map((f, i) => seed(folder, f, i)));
      tracker.close();
      const { result, seconds } = await timed(() =>
        runArchive(
          { folder, databasePath, openContainer: async () => container },
          { prefix: 'bench', tier: 'Cool', concurrency, mirror: false, massDeletionShare: 0.1, dryRun: false },
        ),
      );
      if (result.outcome !== 'success' || result.uploaded !== files.length) throw new Error(`archive bench: ${result.outcome}, ${result.uploaded} of ${files.length} uploaded (${result.errorMessage ?? ''})`);
      ours.push(seconds);
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const oursRate = mbPerSecond(totalBytes, mean(ours));
    const plainRate = mbPerSecond(totalBytes, mean(plain));
    const ratio = oursRate / plainRate;
    return {
      bench: 'archive',
      line: `archive: ${files.length} files, ${round(totalBytes / 1e6, 0)} MB, ${concurrency} at once: ours ${round(oursRate, 1)} MB/s, plain SDK uploadFile ${round(plainRate, 1)} MB/s, ratio ${round(ratio)}`,
      figures: [
        { name: 'archive MB/s', value: round(oursRate, 1), unit: 'MB/s' },
        { name: 'archive plain SDK MB/s', value: round(plainRate, 1), unit: 'MB/s' },
        { name: 'archive ratio vs plain SDK', value: round(ratio), unit: 'x' },
      ],
    };
  } finally {
    await azurite.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

/** The tracker row a sync would have written for the file. */
function seed(folder: string, file: BenchFile, index: number) {
  const full = join(folder, file.relPath);
  return {
    assetId: `BENCH-${index}`,
    version: 'original' as const,
    relPath: file.relPath,
    size: file.bytes,
    sha256: createHash('sha256').update(readFileSync(full)).digest('hex'),
    mtimeMs: Math.round(statSync(full).mtimeMs),
    fileChecksum: `bench-${index}`,
    recordedAt: Date.now(),
  };
}
