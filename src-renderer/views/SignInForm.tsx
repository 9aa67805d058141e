import { useState, type FormEvent } from 'react';
import type { AppBridge } from '../../src-shared/contract.js';
import { useCommand } from '../hooks/use-command.js';

/** Apple ID and password; the service refuses an app-specific password with the catalogue's sentence. */
export function SignInForm({ bridge, appleId, onDone }: { bridge: AppBridge | null; appleId: string | null; onDone: (status: 'ready' | 'needs-code') => void }) {
  const [id, setId] = useState(appleId ?? '');
  const [password, setPassword] = useState('');
  const { send, busy, error } = useCommand(bridge);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const reply = await send({ type: 'sign-in', appleId: id.trim(), password });
    setPassword('');
    if (reply?.ok) onDone(reply.result.status);
  };
  return (
    <section className="panel" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in to iCloud</h2>
      <p className="hint">Use your normal Apple ID password; app-specific passwords do not work for iCloud Photos.</p>
      <form onSubmit={submit} className="form">
        <label>
          Apple ID
          <input type="email" autoComplete="username" required value={id} onChange={(event) => setId(event.target.value)} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {error && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !id.trim() || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
