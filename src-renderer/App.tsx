import { useState } from 'react';
import { INITIAL_SNAPSHOT, type AppBridge } from '../src-shared/contract.js';
import { useSnapshot } from './hooks/use-snapshot.js';
import { CodeDialog } from './views/CodeDialog.js';
import { DeletedView } from './views/DeletedView.js';
import { FirstRun } from './views/FirstRun.js';
import { SettingsView } from './views/SettingsView.js';
import { SignInForm } from './views/SignInForm.js';
import { StatusView } from './views/StatusView.js';

type Tab = 'status' | 'deleted' | 'settings' | 'setup';
type Overlay = 'code' | 'sign-in' | null;

const TABS: Array<{ tab: Tab; label: string }> = [
  { tab: 'status', label: 'Status' },
  { tab: 'deleted', label: 'Deleted' },
  { tab: 'settings', label: 'Settings' },
];

export function App({ bridge }: { bridge: AppBridge | null }) {
  const live = useSnapshot(bridge);
  const snapshot = live ?? INITIAL_SNAPSHOT;
  const [tab, setTab] = useState<Tab>('status');
  const [overlay, setOverlay] = useState<Overlay>(null);
  // A service that is not set up opens the first run, which stays until it is finished or left.
  const notSetUp = bridge !== null && live?.state === 'not-set-up';
  const [openedSetup, setOpenedSetup] = useState(false);
  if (notSetUp && !openedSetup) {
    setOpenedSetup(true);
    setTab('setup');
  }
  const firstRun = bridge !== null && tab === 'setup';
  // The code dialog shows whenever the service waits for a code and the person asked for it.
  const showCode = overlay === 'code' && snapshot.signIn.status === 'needs-code';

  return (
    <main className="app">
      <header className="app-header">
        <h1>iCloud Photo Sync</h1>
        <nav aria-label="Sections">
          {TABS.map(({ tab: each, label }) => (
            <button
              key={each}
              type="button"
              aria-pressed={tab === each}
              onClick={() => {
                setTab(each);
                setOverlay(null);
              }}
            >
              {label}
            </button>
          ))}
        </nav>
      </header>
      {showCode ? (
        <CodeDialog bridge={bridge} signIn={snapshot.signIn} onDone={() => setOverlay(null)} />
      ) : overlay === 'sign-in' ? (
        <SignInForm bridge={bridge} appleId={snapshot.appleId} onDone={(status) => setOverlay(status === 'needs-code' ? 'code' : null)} />
      ) : firstRun ? (
        <FirstRun bridge={bridge} snapshot={snapshot} onFinished={() => setTab('status')} />
      ) : tab === 'status' ? (
        <StatusView
          bridge={bridge}
          snapshot={snapshot}
          onAction={(action) => (action === 'open-settings' ? setTab('settings') : setOverlay(action === 'enter-code' ? 'code' : 'sign-in'))}
        />
      ) : tab === 'deleted' ? (
        <DeletedView bridge={bridge} deletedCount={snapshot.counts.deletedLocally} />
      ) : (
        <SettingsView bridge={bridge} snapshot={snapshot} onSignIn={() => setOverlay('sign-in')} onSetup={() => setTab('setup')} />
      )}
    </main>
  );
}
