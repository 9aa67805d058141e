/**
 * What an archive run has to do: which files of the sync folder are not in the container yet (new,
 * or changed since they were archived), and, in mirror mode, which archived blobs belong to files
 * the user deleted. Only local work: no request to Azure, so a run with nothing new costs nothing.
 */
import { join } from 'node:path';
import { sha256OfFile } from '../sync/folder-walk.js';
import { lstatOrNull } from '../sync/real-folder.js';
import type { ArchivedFile } from '../tracker/archive-store.js';
import type { TrackedFile } from '../tracker/tracker-types.js';
import { blobNameOf } from './blob-names.js';

export interface PlannedUpload {
  blobName: string;
  assetId: string;
  version: string;
  relPath: string;
  fullPath: string;
  size: number;
  sha256: string;
  mtimeMs: number;
}

export interface ArchivePlan {
  uploads: PlannedUpload[];
  /** Files whose blob is already in the container. */
  alreadyArchived: number;
  /** Tracked files not on disk now (the next sync notices them): nothing to upload. */
  missing: number;
  /** Files hashed again because they changed since the tracker (or the archive) saw them. */
  rehashed: number;
  /**
   * Archived blobs whose file was hashed again and still holds their bytes (only its mtime moved):
   * the run records the new mtime, so the next run trusts it instead of hashing it every time.
   */
  touched: Array<{ blobName: string; mtimeMs: number }>;
  /** Mirror mode: archived blobs of files the user deleted. */
  removals: ArchivedFile[];
}

export interface PlanInput {
  folder: string;
  prefix: string;
  /** The tracker's files (any state: deleted-locally ones are never uploaded). */
  files: ReadonlyArray<TrackedFile>;
  archived: ReadonlyArray<ArchivedFile>;
  mirror: boolean;
}

export async function planArchive(input: PlanInput): Promise<ArchivePlan> {
  const archivedNames = new Set(input.archived.map((a) => a.blobName));
  // What the archive saw at each path (every version): a file the user changed is hashed once, not every run.
  const seenAtPath = new Map<string, ArchivedFile[]>();
  for (const a of input.archived) seenAtPath.set(a.relPath, [...(seenAtPath.get(a.relPath) ?? []), a]);
  const plan: ArchivePlan = { uploads: [], alreadyArchived: 0, missing: 0, rehashed: 0, touched: [], removals: [] };
  for (const file of input.files) {
    if (file.state !== 'downloaded') continue;
    const fullPath = join(input.folder, ...file.relPath.split('/'));
    const info = await lstatOrNull(fullPath);
    if (!info?.isFile()) {
      plan.missing++;
      continue;
    }
    const mtimeMs = Math.round(info.mtimeMs);
    const seen = seenAtPath.get(file.relPath) ?? [];
    let sha256 = knownHash(info.size, mtimeMs, file) ?? seen.map((a) => knownHash(info.size, mtimeMs, a)).find((hash) => hash !== null) ?? null;
    const rehashed = !sha256;
    if (!sha256) {
      sha256 = await sha256OfFile(fullPath);
      plan.rehashed++;
    }
    const blobName = blobNameOf(input.prefix, sha256, file.relPath);
    if (archivedNames.has(blobName)) {
      plan.alreadyArchived++;
      if (rehashed) plan.touched.push({ blobName, mtimeMs });
    } else plan.uploads.push({ blobName, assetId: file.assetId, version: file.version, relPath: file.relPath, fullPath, size: info.size, sha256, mtimeMs });
  }
  if (input.mirror) plan.removals = deletedByUser(input.files, input.archived);
  return plan;
}

/** The recorded hash when the file still has the recorded size and modification time. */
function knownHash(size: number, mtimeMs: number, recorded: { size: number; mtimeMs: number; sha256: string } | undefined): string | null {
  return recorded && recorded.size === size && recorded.mtimeMs === mtimeMs ? recorded.sha256 : null;
}

/**
 * Archived blobs whose file the user deleted: the tracker marks it deleted-locally, or forgot it.
 * Older contents of a file that still exists (an edit, a change) are kept: mirror removes deletions only.
 */
function deletedByUser(files: ReadonlyArray<TrackedFile>, archived: ReadonlyArray<ArchivedFile>): ArchivedFile[] {
  const present = new Set(files.filter((f) => f.state === 'downloaded').map((f) => `${f.assetId}\u0000${f.version}`));
  return archived.filter((a) => !present.has(`${a.assetId}\u0000${a.version}`));
}
