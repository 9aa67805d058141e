import type { AppSnapshot } from '../../src-shared/contract.js';

export function SettingsView({ snapshot }: { snapshot: AppSnapshot }) {
  return (
    <section aria-label="Settings" className="panel">
      <dl>
        <dt>Apple ID</dt>
        <dd>{snapshot.appleId ?? 'Not signed in'}</dd>
        <dt>Sync folder</dt>
        <dd>{snapshot.syncFolder ?? 'Not chosen'}</dd>
      </dl>
    </section>
  );
}
