import { useEffect, useState } from 'react';
import type { DesktopBridge, DesktopInfo } from '../../src-shared/desktop.js';

/**
 * Settings that only the tray app has (the local web page has no `bridge.desktop`): start at login,
 * keep the local web page on, open the photos folder, and whether the Apple ID password can be kept
 * safely on this desktop.
 */
export function DesktopPanel({ desktop }: { desktop: DesktopBridge }) {
  const [info, setInfo] = useState<DesktopInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void desktop.send({ type: 'desktop-info' }).then((reply) => {
      if (!live) return;
      if (reply.ok) setInfo(reply.result);
      else setProblem(reply.message);
    });
    return () => {
      live = false;
    };
  }, [desktop]);

  const setLaunchAtLogin = async (enabled: boolean) => {
    const reply = await desktop.send({ type: 'set-launch-at-login', enabled });
    if (reply.ok) setInfo((before) => (before ? { ...before, launchAtLogin: reply.result.launchAtLogin } : before));
    else setProblem(reply.message);
  };
  const setWebPageAlwaysOn = async (enabled: boolean) => {
    const reply = await desktop.send({ type: 'set-web-page-always-on', enabled });
    if (reply.ok) setInfo((before) => (before ? { ...before, webPageAlwaysOn: reply.result.webPageAlwaysOn } : before));
    else setProblem(reply.message);
  };
  const openFolder = async () => {
    const reply = await desktop.send({ type: 'open-folder' });
    setProblem(reply.ok ? reply.result.message : reply.message);
  };

  return (
    <section className="panel" aria-labelledby="desktop-title">
      <h2 id="desktop-title">This computer</h2>
      <div className="field">
        <label>
          <input type="checkbox" checked={info?.launchAtLogin ?? false} disabled={info === null} onChange={(event) => void setLaunchAtLogin(event.target.checked)} />
          Start iCloud Photo Sync when I log in (it waits in the tray)
        </label>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" aria-describedby="web-page-always-hint" checked={info?.webPageAlwaysOn ?? false} disabled={info === null} onChange={(event) => void setWebPageAlwaysOn(event.target.checked)} />
          Keep the local web page on (for another browser or your phone)
        </label>
        <p id="web-page-always-hint" className="hint">
          Otherwise it runs only while a verification code is needed. Its link is in web-link.txt in the data folder.
        </p>
      </div>
      <p className="hint">
        {info === null
          ? 'Checking…'
          : info.passwordStorage.available
            ? 'Your Apple ID password, once typed here, is kept encrypted by this computer so the app can sign in again by itself.'
            : info.passwordStorage.reason}
      </p>
      <button type="button" onClick={() => void openFolder()}>
        Open photos folder
      </button>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </section>
  );
}

/** "Choose…" beside a folder field: the system's folder picker, in the tray app only. */
export function PickFolderButton({ desktop, onPicked }: { desktop: DesktopBridge | undefined; onPicked: (path: string) => void }) {
  if (!desktop) return null;
  return (
    <button
      type="button"
      onClick={() => void desktop.send({ type: 'pick-folder' }).then((reply) => reply.ok && reply.result.path && onPicked(reply.result.path))}
    >
      Choose…
    </button>
  );
}
