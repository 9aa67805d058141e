import { useState, type FormEvent } from 'react';

/**
 * One secret (an API key, a connection string): typed, stored by the service, and never shown
 * again; the field only says whether one is stored. `onSave(null)` removes it.
 */
export function SecretForm({ name, label, set, busy, storeLabel, removeLabel, onSave }: {
  name: string;
  label: string;
  set: boolean;
  busy: boolean;
  storeLabel: string;
  removeLabel: string;
  /** True when the service stored (or removed) it: the typed text is then cleared. */
  onSave: (value: string | null) => Promise<boolean>;
}) {
  const [typed, setTyped] = useState('');
  const save = async (event: FormEvent, value: string | null) => {
    event.preventDefault();
    if (await onSave(value)) setTyped('');
  };
  return (
    <form className="form" onSubmit={(event) => void save(event, typed)}>
      <label>
        {label}
        <input type="password" name={name} autoComplete="off" placeholder={set ? 'stored (type to replace)' : 'not set'} value={typed} onChange={(event) => setTyped(event.target.value)} />
      </label>
      <div className="actions">
        <button type="submit" disabled={busy || !typed}>
          {storeLabel}
        </button>
        {set && (
          <button type="button" disabled={busy} onClick={(event) => void save(event, null)}>
            {removeLabel}
          </button>
        )}
      </div>
    </form>
  );
}
