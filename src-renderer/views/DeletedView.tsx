import { Fragment, useEffect, useState } from 'react';
import type { AppBridge, DeletedFileView } from '../../src-shared/contract.js';
import { formatBytes, localTime } from '../format.js';
import { useCommand } from '../hooks/use-command.js';

/** Files the person deleted from the folder (never downloaded again), searchable, with Restore. */
export function DeletedView({ bridge, deletedCount }: { bridge: AppBridge | null; deletedCount: number }) {
  const [files, setFiles] = useState<DeletedFileView[] | null>(null);
  const [query, setQuery] = useState('');
  const [restored, setRestored] = useState<string | null>(null);
  const { send, busy, error } = useCommand(bridge);

  useEffect(() => {
    void send({ type: 'list-deleted' }).then((reply) => reply?.ok && setFiles(reply.result.files));
  }, [send, deletedCount]);

  const restore = async (file: DeletedFileView) => {
    const reply = await send({ type: 'restore-deleted', targets: [file.relPath] });
    if (!reply?.ok) return;
    setRestored(`${file.relPath} comes back on the next sync.`);
    setFiles((before) => before?.filter((each) => each.relPath !== file.relPath) ?? null);
  };

  const needle = query.trim().toLowerCase();
  const shown = (files ?? []).filter((file) => file.relPath.toLowerCase().includes(needle));
  return (
    <section aria-labelledby="deleted-title" className="panel">
      <h2 id="deleted-title">Deleted locally</h2>
      <p className="hint">Files you deleted from the sync folder stay in iCloud and are not downloaded again. Restore one to get it back.</p>
      <label className="search">
        Search
        <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
      </label>
      {restored && <p role="status">{restored}</p>}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {files === null ? (
        <p>Loading…</p>
      ) : shown.length === 0 ? (
        <p>{files.length === 0 ? 'No files were deleted locally.' : 'No deleted file matches.'}</p>
      ) : (
        <ul className="list deleted">
          {shown.map((file) => (
            <li key={`${file.assetId}/${file.version}/${file.relPath}`}>
              <span className="path">
                {/* A line may break after a folder rather than inside the file name. */}
                {file.relPath.split('/').map((part, index) => (
                  <Fragment key={index}>
                    {index > 0 && (
                      <>
                        /<wbr />
                      </>
                    )}
                    {part}
                  </Fragment>
                ))}
              </span>
              <span className="hint">
                {formatBytes(file.size)}
                {file.noticedAt && ` · deleted ${localTime(file.noticedAt)}`}
              </span>
              <button type="button" disabled={busy} onClick={() => void restore(file)} aria-label={`Restore ${file.relPath}`}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
