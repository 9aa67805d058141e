import type { FolderCheck } from '../../src-shared/contract.js';
import { formatBytes } from '../format.js';

/**
 * What the service found at the folder typed in the first run: whether files can be saved there,
 * the free space on its disk and the files already in it (which the preview then matches with the
 * library: those it recognises are kept, not downloaded again).
 */
export function FolderCheckNote({ check, typed }: { check: FolderCheck; typed: string }) {
  return (
    <div id="folder-check" className="folder-check" role="status">
      {check.problem ? (
        <p className="error">{check.problem}</p>
      ) : (
        <ul className="list">
          <li>{check.exists ? 'You can save files in this folder.' : 'This folder does not exist yet: it will be created.'}</li>
          {check.freeBytes !== null && <li>Free space on its disk: {formatBytes(check.freeBytes)}.</li>}
          {check.exists && (
            <li>
              {check.filesFound === 0
                ? 'It is empty.'
                : `${check.filesFound} ${check.filesFound === 1 ? 'file is' : 'files are'} already in it: the next step shows which of them are your iCloud photos (they are kept, not downloaded again).`}
            </li>
          )}
        </ul>
      )}
      {check.folder !== typed && (
        <p className="hint">
          Full path: <span className="address">{check.folder}</span>
        </p>
      )}
    </div>
  );
}
