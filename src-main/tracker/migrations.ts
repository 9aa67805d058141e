/**
 * Numbered schema migrations. Entry N (1-based) brings user_version from N-1 to N. Never edit a
 * released entry: add a new one, so every existing database walks the same path.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE assets (
    id TEXT PRIMARY KEY,
    library TEXT NOT NULL,
    filename TEXT NOT NULL,
    asset_date INTEGER NOT NULL,
    added_date INTEGER NOT NULL,
    change_tag TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL
  );
  CREATE TABLE files (
    asset_id TEXT NOT NULL,
    version TEXT NOT NULL,
    rel_path TEXT NOT NULL,
    path_key TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    mtime_ms INTEGER NOT NULL,
    file_checksum TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('downloaded', 'deleted-locally')),
    recorded_at INTEGER NOT NULL,
    noticed_at INTEGER,
    PRIMARY KEY (asset_id, version)
  );
  CREATE UNIQUE INDEX files_by_path_key ON files (path_key);
  CREATE INDEX files_by_size ON files (size);
  CREATE TABLE sync_tokens (
    zone_name TEXT NOT NULL,
    library TEXT NOT NULL,
    token TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (zone_name, library)
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    outcome TEXT NOT NULL,
    listing TEXT,
    downloaded INTEGER NOT NULL DEFAULT 0,
    adopted INTEGER NOT NULL DEFAULT 0,
    moved INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    deleted_noticed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT
  );
  CREATE TABLE asset_errors (
    asset_id TEXT NOT NULL,
    version TEXT NOT NULL,
    message TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    run_id INTEGER,
    PRIMARY KEY (asset_id, version)
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // migration 2 (issue 9): the folder's own state. `placed_by_user`: the user moved this file on
  // purpose (a layout change leaves it there). `other_folder_files`: the file rows of sync folders
  // this account used before (kept per folder identity, so going back to a folder finds its state).
  `
  ALTER TABLE files ADD COLUMN placed_by_user INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE other_folder_files (
    folder_id TEXT NOT NULL,
    asset_id TEXT NOT NULL,
    version TEXT NOT NULL,
    rel_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    mtime_ms INTEGER NOT NULL,
    file_checksum TEXT NOT NULL,
    state TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    noticed_at INTEGER,
    placed_by_user INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (folder_id, asset_id, version)
  );
  `,
  // migration 3 (issue 8): an edited version is its own file identity, `<master>:<edit fileChecksum>`
  // (iOS Duplicates share a master, each with its own edit; src-main/sync/README.md "Identity").
  // Existing edited rows (of this folder and of other folders) were keyed by the master and hold
  // their edit's checksum, so they move to the new key. asset_record remembers which CPLAsset an
  // edit came from, so a re-edit replaces that file; migrated rows have none (before, one master had
  // one edit). needs_attention holds records iCloud refuses for good (e.g. ACCESS_DENIED on a revoked
  // shared photo). The change-feed position is dropped: the previous version kept one edit per
  // master, so the next run lists the whole library to fetch the edits of Duplicates it missed.
  `
  ALTER TABLE files ADD COLUMN asset_record TEXT;
  ALTER TABLE assets ADD COLUMN asset_record TEXT;
  ALTER TABLE other_folder_files ADD COLUMN asset_record TEXT;
  UPDATE files SET asset_id = asset_id || ':' || file_checksum WHERE version = 'edited';
  UPDATE other_folder_files SET asset_id = asset_id || ':' || file_checksum WHERE version = 'edited';
  DELETE FROM sync_tokens;
  CREATE TABLE needs_attention (
    zone_name TEXT NOT NULL,
    record_name TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT,
    noticed_at INTEGER NOT NULL,
    PRIMARY KEY (zone_name, record_name)
  );
  `,
  // migration 4 (issue 10): per-file failures are retried from the tracker on incremental runs,
  // with backoff counted in runs; the asset is kept as JSON so a retry needs no full listing.
  `
  ALTER TABLE asset_errors ADD COLUMN asset_json TEXT;
  ALTER TABLE asset_errors ADD COLUMN next_try_run INTEGER NOT NULL DEFAULT 0;
  `,
  // migration 5 (issue 18): the off-site archive to Azure Blob Storage. One row per blob this
  // library put in the container (names are by content, so a changed file is a new row; old rows
  // stay, as the blobs do, unless mirror mode removes them). size and mtime_ms are the file as it
  // was hashed, so an unchanged file is not hashed again. An upload in progress needs no row: its
  // block ids derive from the content hash, and the service keeps the uncommitted blocks.
  `
  CREATE TABLE archived_files (
    blob_name TEXT PRIMARY KEY,
    asset_id TEXT NOT NULL,
    version TEXT NOT NULL,
    rel_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    mtime_ms INTEGER NOT NULL,
    etag TEXT NOT NULL,
    archived_at INTEGER NOT NULL
  );
  CREATE INDEX archived_by_file ON archived_files (asset_id, version);
  CREATE TABLE archive_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    outcome TEXT NOT NULL,
    uploaded INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
