import { useEffect, useState, type FormEvent } from 'react';
import type { AppBridge, AppSnapshot, CommandError, SettingView } from '../../src-shared/contract.js';
import { trustEndText } from '../format.js';
import { useCommand } from '../hooks/use-command.js';
import { ArchivePanel } from './ArchivePanel.js';
import { ChannelChoices } from './ChannelChoices.js';
import { DesktopPanel } from './DesktopPanel.js';
import { choicesFor } from '../setting-choices.js';
import { NotificationsPanel } from './NotificationsPanel.js';

/** The settings a desktop user changes, in this order; the rest stay with the CLI and config.json. */
const SHOWN = ['syncFolder', 'layout', 'media', 'versions', 'liveVideos', 'rawAlternatives', 'sharedLibrary', 'hidden', 'albums', 'interval', 'concurrency', 'massDeletionThreshold', 'logLevel', 'webAddress', 'webPorts', 'notifyChannels', 'notifyReminder', 'trustWarningDays', 'publicUrl', 'ntfyServer', 'ntfyTopic', 'archiveEnabled', 'archiveCredential', 'archiveAccountUrl', 'archiveContainer', 'archiveTier', 'archivePrefix', 'archiveConcurrency', 'archiveMirror'];

const LABEL: Record<string, string> = {
  syncFolder: 'Sync folder',
  layout: 'Folder layout',
  media: 'What to download',
  versions: 'Versions',
  liveVideos: 'Video part of Live Photos',
  rawAlternatives: 'Both halves of RAW+JPEG pairs',
  sharedLibrary: 'Shared Library',
  hidden: 'Hidden album',
  albums: 'Only these albums',
  interval: 'Time between syncs',
  concurrency: 'Parallel downloads',
  massDeletionThreshold: 'Stop when this share of files vanishes',
  logLevel: 'Log detail',
  webAddress: 'Web page address',
  webPorts: 'Web page ports',
  notifyReminder: 'Remind after',
  trustWarningDays: 'Warn this many days before the sign-in ends',
  publicUrl: 'Public URL of this page (for links on your phone)',
  ntfyServer: 'ntfy server',
  ntfyTopic: 'ntfy topic',
  archiveEnabled: 'Archive to Azure Blob Storage after each sync',
  archiveCredential: 'Archive: how to sign in to Azure (identity, connection-string, sas-url)',
  archiveAccountUrl: 'Archive: storage account URL',
  archiveContainer: 'Archive: container',
  archiveTier: 'Archive: access tier (Hot, Cool, Cold)',
  archivePrefix: 'Archive: name prefix',
  archiveConcurrency: 'Archive: parallel uploads',
  archiveMirror: 'Archive: also remove copies of files you deleted',
};

/** A refusal next to its field, in plain words: the service's reason, or the value and what is allowed. */
function refusalText(error: CommandError): string {
  const setting = error.setting;
  if (!setting) return error.message;
  return setting.problem ?? `${JSON.stringify(setting.value)} is not accepted here. Allowed: ${setting.allowed}.`;
}

/** Hints worded for this form where the shared one speaks of the environment or the command line. */
const HINT: Record<string, string> = {
  syncFolder: 'the full path of the folder your photos go to',
  albums: 'album names separated by commas; empty for the whole library',
  notifyChannels: 'where reminders go when iCloud Photo Sync needs you; none checked: no reminders',
};

type Draft = Record<string, string | boolean>;

function toDraft(setting: SettingView): string | boolean {
  if (typeof setting.value === 'boolean') return setting.value;
  if (Array.isArray(setting.value)) return setting.value.join(', ');
  return setting.value === undefined || setting.value === null ? '' : String(setting.value);
}

/** The draft value in the type the setting has (numbers and lists as such). */
function fromDraft(setting: SettingView, draft: string | boolean): unknown {
  if (typeof draft === 'boolean') return draft;
  if (typeof setting.value === 'number') return draft.trim() === '' ? draft : Number(draft);
  if (Array.isArray(setting.value)) return draft.split(',').map((part) => part.trim()).filter(Boolean);
  return draft;
}

export function SettingsView({ bridge, snapshot, onSignIn, onSetup }: { bridge: AppBridge | null; snapshot: AppSnapshot; onSignIn: () => void; onSetup: () => void }) {
  const [settings, setSettings] = useState<SettingView[] | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [saved, setSaved] = useState<string | null>(null);
  /** Counts saves: the notifications panel reads its channels' on/off again after each. */
  const [revision, setRevision] = useState(0);
  const { send, busy, error } = useCommand(bridge);

  useEffect(() => {
    void send({ type: 'get-settings' }).then((reply) => {
      if (!reply?.ok) return;
      setSettings(reply.result.settings);
      setDraft(Object.fromEntries(reply.result.settings.map((setting) => [setting.key, toDraft(setting)])));
    });
  }, [send]);

  if (!bridge) {
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

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    const values: Record<string, unknown> = {};
    for (const setting of settings ?? []) {
      if (setting.readOnly || !SHOWN.includes(setting.key)) continue;
      const value = draft[setting.key];
      if (value !== undefined && value !== toDraft(setting)) values[setting.key] = fromDraft(setting, value);
    }
    if (Object.keys(values).length === 0) return setSaved('Nothing changed.');
    const reply = await send({ type: 'save-settings', values });
    if (!reply?.ok) return;
    setSaved(`Saved to ${reply.result.configFile}.`);
    setRevision((before) => before + 1);
    const fresh = await send({ type: 'get-settings' });
    if (fresh?.ok) setSettings(fresh.result.settings);
  };

  const shown = (settings ?? []).filter((setting) => SHOWN.includes(setting.key)).sort((a, b) => SHOWN.indexOf(a.key) - SHOWN.indexOf(b.key));
  return (
    <section aria-label="Settings" className="settings">
      <div className="panel" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <dl className="facts">
          <dt>Apple ID</dt>
          <dd>{snapshot.appleId ?? 'Not signed in'}</dd>
          <dt>Trusted until (estimate)</dt>
          <dd>{trustEndText(snapshot, false)}</dd>
        </dl>
        <div className="actions">
          <button type="button" onClick={onSignIn}>
            Sign in again
          </button>
          <button type="button" onClick={onSetup}>
            Set up again
          </button>
          <button type="button" disabled={busy || !snapshot.appleId} onClick={() => void send({ type: 'sign-out' })}>
            Sign out
          </button>
        </div>
      </div>
      <form className="panel form" onSubmit={save} aria-labelledby="settings-title" noValidate>
        <h2 id="settings-title">Settings</h2>
        {settings === null && <p>Loading…</p>}
        {shown.map((setting) => {
          const refused = error?.setting?.key === setting.key ? refusalText(error) : null;
          const choices = typeof draft[setting.key] === 'string' ? choicesFor(setting.key, String(draft[setting.key])) : null;
          const value = draft[setting.key] ?? '';
          const described = `${setting.key}-help`;
          if (setting.key === 'notifyChannels') {
            return (
              <div key={setting.key} className={`field${refused ? ' invalid' : ''}`}>
                <ChannelChoices draft={String(value)} desktop={Boolean(bridge.desktop)} readOnly={setting.readOnly} invalid={Boolean(refused)} describedBy={described} onChange={(next) => setDraft({ ...draft, [setting.key]: next })} />
                <p id={described} className={refused ? 'error' : 'hint'} role={refused ? 'alert' : undefined}>
                  {refused ?? (setting.readOnly ? `Set by ${setting.setBy ?? setting.source}; change it there.` : HINT.notifyChannels)}
                </p>
              </div>
            );
          }
          return (
            <div key={setting.key} className={`field${refused ? ' invalid' : ''}`}>
              <label>
                {typeof value === 'boolean' ? (
                  <input type="checkbox" checked={value} disabled={setting.readOnly} aria-describedby={described} onChange={(event) => setDraft({ ...draft, [setting.key]: event.target.checked })} />
                ) : null}
                {LABEL[setting.key] ?? setting.key}
                {choices && (
                  <select
                    name={setting.key}
                    value={String(value)}
                    disabled={setting.readOnly}
                    aria-invalid={refused ? true : undefined}
                    aria-describedby={described}
                    onChange={(event) => setDraft({ ...draft, [setting.key]: event.target.value })}
                  >
                    {choices.map((choice) => (
                      <option key={choice.value} value={choice.value}>
                        {choice.label}
                      </option>
                    ))}
                  </select>
                )}
                {typeof value !== 'boolean' && !choices && (
                  <input
                    name={setting.key}
                    value={value}
                    readOnly={setting.readOnly}
                    aria-invalid={refused ? true : undefined}
                    aria-describedby={described}
                    onChange={(event) => setDraft({ ...draft, [setting.key]: event.target.value })}
                  />
                )}
              </label>
              {(refused || setting.readOnly || (typeof value !== 'boolean' && !choices)) && (
                <p id={described} className={refused ? 'error' : 'hint'} role={refused ? 'alert' : undefined}>
                  {refused ?? (setting.readOnly ? `Set by ${setting.setBy ?? setting.source}; change it there.` : (HINT[setting.key] ?? setting.allowed))}
                </p>
              )}
            </div>
          );
        })}
        {error && !error.setting && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        {saved && <p role="status">{saved}</p>}
        <button type="submit" className="primary" disabled={busy || settings === null}>
          Save
        </button>
      </form>
      <NotificationsPanel key={revision} bridge={bridge} />
      <ArchivePanel bridge={bridge} snapshot={snapshot} />
      {bridge.desktop && <DesktopPanel desktop={bridge.desktop} />}
    </section>
  );
}
