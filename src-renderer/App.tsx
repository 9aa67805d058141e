import { useState } from 'react';
import type { AppBridge } from '../src-shared/contract.js';
import { StatusView } from './views/StatusView.js';
import { SettingsView } from './views/SettingsView.js';
import { useSnapshot } from './hooks/use-snapshot.js';

type Tab = 'status' | 'settings';

export function App({ bridge }: { bridge: AppBridge | null }) {
  const [tab, setTab] = useState<Tab>('status');
  const snapshot = useSnapshot(bridge);
  return (
    <main className="app">
      <header className="app-header">
        <h1>iCloud Photo Sync</h1>
        <nav aria-label="Sections">
          <button type="button" aria-pressed={tab === 'status'} onClick={() => setTab('status')}>
            Status
          </button>
          <button type="button" aria-pressed={tab === 'settings'} onClick={() => setTab('settings')}>
            Settings
          </button>
        </nav>
      </header>
      {tab === 'status' ? <StatusView snapshot={snapshot} connected={bridge !== null} /> : <SettingsView snapshot={snapshot} />}
    </main>
  );
}
