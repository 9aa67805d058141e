import { useState, type FormEvent } from 'react';
import type { AppBridge, AppSnapshot, CommandResult } from '../../src-shared/contract.js';
import { countOf, formatBytes } from '../format.js';
import { useCommand } from '../hooks/use-command.js';
import { CHOICES } from '../setting-choices.js';
import { CodeDialog } from './CodeDialog.js';
import { PickFolderButton } from './DesktopPanel.js';
import { FolderCheckNote } from './FolderCheckNote.js';
import { SignInForm } from './SignInForm.js';

type Step = 'account' | 'code' | 'folder' | 'preview';


/**
 * From nothing to the first sync: Apple ID and password, the code, the folder, what to include
 * and the layout, a preview from a dry run, then start. Scheduled runs are paused while the
 * folder is chosen, so nothing downloads before the person has seen the preview and pressed Start.
 */
export function FirstRun({ bridge, snapshot, onFinished }: { bridge: AppBridge | null; snapshot: AppSnapshot; onFinished: () => void }) {
  const [step, setStep] = useState<Step>(snapshot.signIn.status === 'needs-code' ? 'code' : snapshot.signIn.status === 'ready' ? 'folder' : 'account');
  const [folder, setFolder] = useState(snapshot.syncFolder ?? '');
  const [layout, setLayout] = useState('date');
  const [media, setMedia] = useState('all');
  const [preview, setPreview] = useState<CommandResult<'preview'> | null>(null);
  const [check, setCheck] = useState<CommandResult<'check-folder'> | null>(null);
  const { send, busy, error } = useCommand(bridge);
  const checking = useCommand(bridge);
  // The text the check was made for: a check of another text is not shown.
  const [checkedAs, setCheckedAs] = useState('');

  /**
   * Asks the service about the typed folder (nothing is saved); returns whether it can be used.
   * Leaving the field checks a new text; going on checks again (the person may have fixed the folder).
   * A folder from the system's picker is checked at once: the field was never focused, so never left.
   */
  const checkFolder = async (again: boolean, text = folder): Promise<boolean> => {
    const typed = text.trim();
    if (!typed) return false;
    if (!again && check && typed === checkedAs) return check.problem === null;
    const reply = await checking.send({ type: 'check-folder', folder: typed });
    if (!reply?.ok) return false;
    setCheck(reply.result);
    setCheckedAs(typed);
    return reply.result.problem === null;
  };

  const chooseFolder = async (event: FormEvent) => {
    event.preventDefault();
    if (!(await checkFolder(true))) return;
    if (!(await send({ type: 'pause', until: null }))?.ok) return;
    const saved = await send({ type: 'save-settings', values: { syncFolder: folder.trim(), layout, media } });
    if (!saved?.ok) return;
    const reply = await send({ type: 'preview' });
    if (reply?.ok) {
      setPreview(reply.result);
      setStep('preview');
    }
  };
  const start = async () => {
    if ((await send({ type: 'resume' }))?.ok && (await send({ type: 'sync-now' }))?.ok) onFinished();
  };

  return (
    <section aria-label="First run" className="first-run">
      <ol className="steps" aria-label="Steps">
        {(['account', 'code', 'folder', 'preview'] as const).map((each) => (
          <li key={each} aria-current={each === step ? 'step' : undefined}>
            {{ account: 'Apple ID', code: 'Code', folder: 'Folder', preview: 'Preview' }[each]}
          </li>
        ))}
      </ol>
      {step === 'account' && <SignInForm bridge={bridge} appleId={snapshot.appleId} onDone={(status) => setStep(status === 'needs-code' ? 'code' : 'folder')} />}
      {step === 'code' && <CodeDialog bridge={bridge} signIn={snapshot.signIn} onDone={() => setStep('folder')} />}
      {step === 'folder' && (
        <form className="panel form" onSubmit={chooseFolder} aria-labelledby="folder-title">
          <h2 id="folder-title">Where should your photos go?</h2>
          <label>
            Sync folder (full path)
            <input
              required
              value={folder}
              onChange={(event) => setFolder(event.target.value)}
              onBlur={() => void checkFolder(false)}
              aria-describedby="folder-help folder-check"
              aria-invalid={check?.problem && checkedAs === folder.trim() ? true : undefined}
            />
          </label>
          <PickFolderButton
            desktop={bridge?.desktop}
            onPicked={(picked) => {
              setFolder(picked);
              void checkFolder(false, picked);
            }}
          />
          <p id="folder-help" className="hint">
            A new or empty folder, or one a previous download (for example icloudpd's) filled: files already there are recognised, not downloaded again.
          </p>
          {check && checkedAs === folder.trim() && <FolderCheckNote check={check} typed={checkedAs} />}
          {checking.error && (
            <p role="alert" className="error">
              {checking.error.message}
            </p>
          )}
          <label>
            Folder layout
            <select value={layout} onChange={(event) => setLayout(event.target.value)}>
              {CHOICES.layout.map((each) => (
                <option key={each.value} value={each.value}>
                  {each.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            What to download
            <select value={media} onChange={(event) => setMedia(event.target.value)}>
              {CHOICES.media.map((each) => (
                <option key={each.value} value={each.value}>
                  {each.label}
                </option>
              ))}
            </select>
          </label>
          {error && (
            <p role="alert" className="error">
              {error.message}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy || !folder.trim()}>
            {busy ? 'Looking at your library…' : 'Show what will be downloaded'}
          </button>
        </form>
      )}
      {step === 'preview' && preview && (
        <div className="panel" aria-labelledby="preview-title">
          <h2 id="preview-title">Ready to download</h2>
          <dl className="facts">
            <dt>To download</dt>
            <dd>{preview.download === 0 ? 'Nothing: everything is already in the folder' : `${countOf(preview.download, 'item')}, ${formatBytes(preview.downloadBytes)}`}</dd>
            <dt>Recognised in the folder</dt>
            <dd>{preview.recognised === 0 ? 'None' : `${countOf(preview.recognised, 'file')}, kept (not downloaded again)`}</dd>
            {preview.alreadyHave > 0 && (
              <>
                <dt>Already synced</dt>
                <dd>{preview.alreadyHave} items</dd>
              </>
            )}
            <dt>Free space after</dt>
            <dd className={preview.freeBytes < preview.downloadBytes ? 'error' : undefined}>{formatBytes(Math.max(0, preview.freeBytes - preview.downloadBytes))}</dd>
          </dl>
          {error && (
            <p role="alert" className="error">
              {error.message}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={() => setStep('folder')}>
              Back
            </button>
            <button type="button" className="primary" disabled={busy} onClick={() => void start()}>
              Start
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
