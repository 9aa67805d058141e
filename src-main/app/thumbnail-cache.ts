/**
 * The recent arrivals' thumbnails, kept in the data folder (`<data>/cache/thumbnails/`), never in
 * the sync folder. An index file lists what is kept, oldest first; every file is written to a temp
 * name, fsynced and renamed, the index last. The oldest go first when the cache passes its caps.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ensurePrivateFolder, writeFileAtomic } from '../icloud/session/atomic-write.js';

export const DEFAULT_THUMBNAIL_CAPS: ThumbnailCaps = { maxBytes: 16 * 1024 * 1024, maxCount: 200 };
const INDEX_FILE = 'index.json';

export interface ThumbnailCaps {
  /** Total size of the kept images. */
  maxBytes: number;
  /** How many images are kept. */
  maxCount: number;
}

export type ThumbnailContentType = 'image/jpeg' | 'image/png';

const entrySchema = z.object({
  key: z.string(),
  file: z.string().regex(/^[0-9a-f]{32}\.(jpg|png)$/),
  contentType: z.enum(['image/jpeg', 'image/png']),
  size: z.number().int().nonnegative(),
  storedAt: z.number(),
});
type Entry = z.infer<typeof entrySchema>;
const indexSchema = z.object({ version: z.literal(1), entries: z.array(entrySchema) });

/** What the bytes are, judged by their first bytes (never by a name or a claimed type). */
export function imageTypeOf(bytes: Uint8Array): ThumbnailContentType | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (Buffer.from(bytes.subarray(0, 8)).toString('hex') === '89504e470d0a1a0a') return 'image/png';
  return null;
}

export class ThumbnailCache {
  private entries: Entry[] | null = null;
  /** One change at a time: the index is read, changed and written as a whole. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly caps: ThumbnailCaps = DEFAULT_THUMBNAIL_CAPS,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): Promise<boolean> {
    return this.serial(async () => (await this.load()).some((entry) => entry.key === key));
  }

  /** The image and its type, or null when it is not (or no longer) kept. */
  read(key: string): Promise<{ bytes: Buffer; contentType: ThumbnailContentType } | null> {
    return this.serial(async () => {
      const entry = (await this.load()).find((each) => each.key === key);
      if (!entry) return null;
      try {
        return { bytes: await readFile(join(this.folder, entry.file)), contentType: entry.contentType };
      } catch {
        return null;
      }
    });
  }

  /**
   * Keeps an image under `key` (replacing an earlier one) and evicts the oldest beyond the caps.
   * Returns false for bytes that are not a JPEG or PNG, or larger than the whole cache may be.
   */
  store(key: string, bytes: Buffer): Promise<boolean> {
    return this.serial(async () => {
      const contentType = imageTypeOf(bytes);
      if (!contentType || bytes.length > this.caps.maxBytes) return false;
      await ensurePrivateFolder(this.folder);
      const file = `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.${contentType === 'image/png' ? 'png' : 'jpg'}`;
      await writeFileAtomic(join(this.folder, file), bytes);
      const kept = (await this.load()).filter((entry) => entry.key !== key);
      kept.push({ key, file, contentType, size: bytes.length, storedAt: this.now() });
      const evicted: Entry[] = [];
      let total = kept.reduce((sum, entry) => sum + entry.size, 0);
      while (kept.length > this.caps.maxCount || total > this.caps.maxBytes) {
        const oldest = kept.shift();
        if (!oldest) break;
        evicted.push(oldest);
        total -= oldest.size;
      }
      this.entries = kept;
      await writeFileAtomic(join(this.folder, INDEX_FILE), JSON.stringify({ version: 1, entries: kept }));
      // After the index: a crash in between leaves a file the next load removes, never an entry without its file.
      const stillUsed = new Set(kept.map((entry) => entry.file));
      for (const entry of evicted) if (!stillUsed.has(entry.file)) await rm(join(this.folder, entry.file), { force: true });
      return true;
    });
  }

  /** What is kept now: how many images and their total size. */
  usage(): Promise<{ count: number; bytes: number }> {
    return this.serial(async () => {
      const entries = await this.load();
      return { count: entries.length, bytes: entries.reduce((sum, entry) => sum + entry.size, 0) };
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The index, read once; files it does not name (temp files of a crash, evicted leftovers) are removed. */
  private async load(): Promise<Entry[]> {
    if (this.entries) return this.entries;
    let entries: Entry[] = [];
    try {
      const parsed = indexSchema.safeParse(JSON.parse(await readFile(join(this.folder, INDEX_FILE), 'utf8')));
      if (parsed.success) entries = parsed.data.entries;
    } catch {
      // No index yet, or an unreadable one: start empty (it is only a cache).
    }
    let names: string[] = [];
    try {
      names = await readdir(this.folder);
    } catch {
      // No folder yet.
    }
    const present = new Set(names);
    entries = entries.filter((entry) => present.has(entry.file));
    const named = new Set([INDEX_FILE, ...entries.map((entry) => entry.file)]);
    for (const name of names) if (!named.has(name)) await rm(join(this.folder, name), { force: true, recursive: true });
    this.entries = entries;
    return entries;
  }
}
