import { useEffect, useState } from 'react';
import type { AppBridge, AppSnapshot, CommandResult } from '../../src-shared/contract.js';
import { formatBytes, localTime } from '../format.js';
import { useCommand } from '../hooks/use-command.js';
import { SecretForm } from './SecretForm.js';

type SecretName = CommandResult<'archive-secrets'>['keys'][number]['name'];

const SECRET_LABEL: Record<SecretName, string> = {
  'archive-connection-string': 'Connection string (when "Archive: how to sign in" is connection-string)',
  'archive-sas-url': 'SAS URL (when "Archive: how to sign in" is sas-url)',
};

const OUTCOME: Record<NonNullable<AppSnapshot['archive']['lastRun']>['outcome'], string> = {
  success: 'Archived',
  partial: 'Archived, some files failed (tried again next time)',
  failed: 'Stopped',
  interrupted: 'Interrupted',
  'mass-deletion': 'Stopped: many files deleted at once',
};

/**
 * The off-site archive's secrets (stored in the service's secrets file, never shown again: only
 * whether each is set) and how its last run after a sync went. Its settings are in the form above.
 */
export function ArchivePanel({ bridge, snapshot }: { bridge: AppBridge; snapshot: AppSnapshot }) {
  const [keys, setKeys] = useState<CommandResult<'archive-secrets'>['keys'] | null>(null);
  const { send, busy, error } = useCommand(bridge);

  useEffect(() => {
    void send({ type: 'archive-secrets' }).then((reply) => {
      if (reply?.ok) setKeys(reply.result.keys);
    });
  }, [send]);

  const save = async (name: SecretName, value: string | null): Promise<boolean> => {
    const reply = await send({ type: 'save-archive-secret', name, value });
    if (!reply?.ok) return false;
    setKeys(reply.result.keys);
    return true;
  };

  const { archive } = snapshot;
  const last = archive.lastRun;
  return (
    <div className="panel" aria-labelledby="archive-title">
      <h2 id="archive-title">Off-site archive (Azure)</h2>
      <p className="hint">
        {archive.enabled ? 'On: new files go to your blob container after each sync.' : 'Off: turn on "Archive to Azure Blob Storage after each sync" above.'}
      </p>
      {archive.running && archive.progress && (
        <p role="status">
          Archiving: {archive.progress.filesDone} of {archive.progress.filesTotal} files, {formatBytes(archive.progress.bytesDone)} of {formatBytes(archive.progress.bytesTotal)}
        </p>
      )}
      {last && (
        <dl className="facts" aria-label="Last archive run">
          <dt>Last archive</dt>
          <dd>
            {OUTCOME[last.outcome]}, {localTime(last.finishedAt)}
          </dd>
          <dt>Uploaded</dt>
          <dd>
            {last.uploaded} files, {formatBytes(last.bytes)}
          </dd>
          {last.message && (
            <>
              <dt>What to do</dt>
              <dd className="error">{last.message}</dd>
            </>
          )}
        </dl>
      )}
      {keys === null && <p>Loading…</p>}
      {keys?.map((key) => (
        <SecretForm key={key.name} name={key.name} label={SECRET_LABEL[key.name]} set={key.set} busy={busy} storeLabel="Store" removeLabel="Remove" onSave={(value) => save(key.name, value)} />
      ))}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </div>
  );
}
