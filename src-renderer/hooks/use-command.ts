import { useCallback, useState } from 'react';
import type { AppBridge, AppCommand, CommandError, CommandReply } from '../../src-shared/contract.js';

/**
 * Sends commands through the bridge and keeps what a view shows about them: busy while one runs,
 * the last refusal (the service's sentence), or a broken bridge as an error of its own.
 */
export function useCommand(bridge: AppBridge | null) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const send = useCallback(
    async <C extends AppCommand>(command: C): Promise<CommandReply<C['type']> | null> => {
      if (!bridge) return null;
      setBusy(true);
      setError(null);
      try {
        const reply = await bridge.send(command);
        if (!reply.ok) setError(reply.error);
        return reply;
      } catch (failure) {
        setError({ code: 'NETWORK', message: failure instanceof Error ? failure.message : String(failure) });
        return null;
      } finally {
        setBusy(false);
      }
    },
    [bridge],
  );
  return { send, busy, error, clearError: () => setError(null) };
}
