import type { AppSnapshot } from '../../src-shared/contract.js';

export function StatusView({ snapshot, connected }: { snapshot: AppSnapshot; connected: boolean }) {
  return (
    <section aria-label="Status" className="panel">
      <p role="status">
        {connected ? snapshot.message : 'The sync engine is not running. Start iCloud Photo Sync from your applications menu.'}
      </p>
      {snapshot.progress && (
        <p>
          {snapshot.progress.filesDone} of {snapshot.progress.filesTotal} files
        </p>
      )}
      {snapshot.lastRun && (
        <p>
          Last sync {snapshot.lastRun.finishedAt}: {snapshot.lastRun.downloaded} new, {snapshot.lastRun.failed} failed
        </p>
      )}
    </section>
  );
}
