import { useEffect, useState } from 'react';
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

/**
 * The view named by the URL's hash: the tray app opens its windows at index.html#status, #deleted,
 * #settings, #setup, or #code (the two-factor popup, which shows only the code dialog).
 */
function viewFromHash(): Tab | 'code' | null {
  const view = window.location.hash.slice(1);
  return view === 'status' || view === 'deleted' || view === 'settings' || view === 'setup' || view === 'code' ? view : null;
}

const TABS: Array<{ tab: Tab; label: string }> = [
  { tab: 'status', label: 'Status' },
  { tab: 'deleted', label: 'Deleted' },
  { tab: 'settings', label: 'Settings' },
];

export function App({ bridge }: { bridge: AppBridge | null }) {
  const live = useSnapshot(bridge);
  const snapshot = live ?? INITIAL_SNAPSHOT;
  const [initialView] = useState(viewFromHash);
  const [tab, setTab] = useState<Tab>(initialView && initialView !== 'code' ? initialView : 'status');
  const [overlay, setOverlay] = useState<Overlay>(null);
  // The tray switches an open window's view by changing the hash only.
  useEffect(() => {
    const follow = () => {
      const view = viewFromHash();
      if (view && view !== 'code') {
        setTab(view);
        setOverlay(null);
      }
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
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

  if (initialView === 'code') {
    return (
      <main className="app app-popup">
        {snapshot.signIn.status === 'needs-code' ? (
          <CodeDialog bridge={bridge} signIn={snapshot.signIn} />
        ) : (
          <p role="status">{live ? 'No verification code is needed now. You can close this window.' : 'Loading…'}</p>
        )}
      </main>
    );
  }

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
