import { STATE_TITLES as STATE_TITLE, type AppBridge, type AppSnapshot, type RunView } from '../../src-shared/contract.js';
import { ARCHIVING_TITLE } from '../../src-shared/archive-activity.js';
import { userMessage } from '../../src-shared/errors.js';
import type { UserAction } from '../../src-shared/user-actions.js';
import { countOf, formatBytes, formatDuration, formatWhen, localTime, trustEndText } from '../format.js';
import { useCommand } from '../hooks/use-command.js';
import { RecentArrivals } from './RecentArrivals.js';
import { WebPageNote } from './WebPageNote.js';

const OUTCOME: Record<RunView['outcome'], string> = {
  success: 'finished',
  partial: 'finished with failures',
  failed: 'failed',
  'mass-deletion': 'stopped: many files vanished',
  'folder-missing': 'stopped: folder missing',
  'disk-full': 'stopped: disk full',
  interrupted: 'stopped before the end (continues next time)',
};

export interface StatusProps {
  bridge: AppBridge | null;
  snapshot: AppSnapshot;
  /** Actions the app shows elsewhere: the code dialog, the sign-in form, Settings. */
  onAction: (action: 'enter-code' | 'sign-in' | 'open-settings') => void;
}

export function StatusView({ bridge, snapshot, onAction }: StatusProps) {
  const { send, busy, error } = useCommand(bridge);
  if (!bridge) {
    return (
      <section aria-label="Status" className="panel">
        <p role="status">The sync engine is not running. Start iCloud Photo Sync from your applications menu.</p>
      </section>
    );
  }
  const progress = snapshot.progress;
  // After the sync, in the same run: the archive stage, named as such (the sync itself is done).
  const archiving = snapshot.state === 'syncing' && snapshot.archive.running ? snapshot.archive.progress : null;
  return (
    <section aria-label="Status" className="status">
      <div className={`panel state state-${snapshot.state}`}>
        <h2>{snapshot.state === 'syncing' && snapshot.archive.running ? ARCHIVING_TITLE : STATE_TITLE[snapshot.state]}</h2>
        <p role="status">{snapshot.message}</p>
        {snapshot.trustEndingSoon && snapshot.trustEndsAt && (
          <p className="warning">Apple's trust in this computer ends {formatWhen(snapshot.trustEndsAt)}: you will need a new code then.</p>
        )}
        <div className="actions">
          <ActionButton action={snapshot.action} snapshot={snapshot} busy={busy} send={send} onAction={onAction} />
          {snapshot.state !== 'not-set-up' && snapshot.state !== 'needs-you' && (
            <button type="button" disabled={busy || snapshot.state === 'syncing'} onClick={() => void send({ type: 'sync-now' })}>
              Sync now
            </button>
          )}
          {snapshot.pause ? (
            <button type="button" disabled={busy} onClick={() => void send({ type: 'resume' })}>
              Resume
            </button>
          ) : (
            snapshot.state !== 'not-set-up' && (
              <button type="button" disabled={busy} onClick={() => void send({ type: 'pause', until: null })}>
                Pause
              </button>
            )
          )}
        </div>
        {error && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
      </div>

      <WebPageNote page={snapshot.webPage} />

      {progress && (
        <div className="panel" aria-label="Progress">
          <label className="progress">
            {progress.phase === 'transferring' ? `Downloading ${progress.filesDone} of ${progress.filesTotal} files` : `Sync step: ${progress.phase}`}
            <progress max={Math.max(1, progress.bytesTotal)} value={progress.bytesDone} />
          </label>
          <p className="hint">
            {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)}
            {progress.etaSeconds !== null && ` · about ${formatDuration(progress.etaSeconds)} left`}
          </p>
        </div>
      )}

      {archiving && (
        <div className="panel" aria-label="Archive progress">
          <label className="progress">
            {archiving.filesTotal === 0 ? 'Checking which files are new for the archive' : `Uploading ${archiving.filesDone} of ${archiving.filesTotal} files to Azure`}
            <progress max={Math.max(1, archiving.bytesTotal)} value={archiving.bytesDone} />
          </label>
          <p className="hint">
            {formatBytes(archiving.bytesDone)} of {formatBytes(archiving.bytesTotal)}
          </p>
        </div>
      )}

      <RecentArrivals bridge={bridge} arrivals={snapshot.recentArrivals} />

      <div className="panel">
        <dl className="facts">
          <dt>Last successful sync</dt>
          <dd>{snapshot.lastSuccessAt ? <time title={localTime(snapshot.lastSuccessAt)}>{formatWhen(snapshot.lastSuccessAt)}</time> : 'Not yet'}</dd>
          <dt>Next sync</dt>
          <dd>{nextSync(snapshot)}</dd>
          <dt>Trusted until (estimate)</dt>
          <dd className={snapshot.trustEndingSoon ? 'warning' : undefined}>{trustEndText(snapshot, true)}</dd>
          <dt>In the folder</dt>
          <dd>
            {countOf(snapshot.counts.photos, 'photo')}, {countOf(snapshot.counts.videos, 'video')}, {formatBytes(snapshot.counts.bytesOnDisk)}
          </dd>
        </dl>
      </div>

      {snapshot.attention.length > 0 && (
        <div className="panel" aria-label="Needs attention">
          <h3>{snapshot.attention.length} files could not be downloaded</h3>
          <ul className="list">
            {snapshot.attention.map((item) => (
              <li key={`${item.assetId}/${item.version}`}>
                {item.message} <span className="hint">({item.attempts} tries)</span>
              </li>
            ))}
          </ul>
          <button type="button" disabled={busy} onClick={() => void send({ type: 'retry-attention' })}>
            Retry
          </button>
        </div>
      )}

      {snapshot.recentRuns.length > 0 && (
        <div className="panel" aria-label="Recent syncs">
          <h3>Recent syncs</h3>
          <ul className="list">
            {snapshot.recentRuns.map((run) => (
              <li key={run.id}>
                <time title={localTime(run.finishedAt)}>{formatWhen(run.finishedAt)}</time>: {outcomeOf(run)}, {run.downloaded} new
                {run.failed > 0 && `, ${run.failed} failed`}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** A run's outcome; a failed one says why (the first sentence of the catalogue's message). */
function outcomeOf(run: RunView): string {
  if (run.outcome !== 'failed' || !run.errorCode) return OUTCOME[run.outcome];
  const why = userMessage(run.errorCode).split(/(?<=\.) /)[0] ?? '';
  return `failed (${why.replace(/\.$/, '')})`;
}

/** When the next sync comes, or why none is planned. */
function nextSync(snapshot: AppSnapshot): string {
  if (snapshot.pause) return snapshot.pause.until ? `Paused until ${localTime(snapshot.pause.until)}` : 'Paused until you resume';
  if (snapshot.nextRunAt) return formatWhen(snapshot.nextRunAt);
  if (snapshot.state === 'syncing') return 'Running now';
  if (snapshot.state === 'needs-you') return 'After you have signed in';
  return 'Not planned';
}

function ActionButton({
  action,
  snapshot,
  busy,
  send,
  onAction,
}: {
  action: UserAction | null;
  snapshot: AppSnapshot;
  busy: boolean;
  send: ReturnType<typeof useCommand>['send'];
  onAction: StatusProps['onAction'];
}) {
  switch (action) {
    case 'enter-code':
      return <button type="button" className="primary" onClick={() => onAction('enter-code')}>Enter code</button>;
    case 'sign-in':
      return <button type="button" className="primary" onClick={() => onAction('sign-in')}>Sign in</button>;
    case 'set-up-folder':
      return <button type="button" className="primary" onClick={() => onAction('open-settings')}>Reconnect the drive</button>;
    case 'open-settings':
      return <button type="button" className="primary" onClick={() => onAction('open-settings')}>Open Settings</button>;
    case 'confirm-deletions':
      return snapshot.vanished === null ? null : (
        <button type="button" className="primary" disabled={busy} onClick={() => void send({ type: 'confirm-deletions', count: snapshot.vanished ?? 0 })}>
          Confirm deletions ({snapshot.vanished})
        </button>
      );
    case 'free-space':
    case 'wait':
      return snapshot.state === 'error' || snapshot.state === 'offline' ? (
        <button type="button" className="primary" disabled={busy} onClick={() => void send({ type: 'sync-now' })}>
          Retry
        </button>
      ) : null;
    default:
      return null;
  }
}
