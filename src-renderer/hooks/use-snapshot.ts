import { useEffect, useState } from 'react';
import { appSnapshotSchema, INITIAL_SNAPSHOT, type AppBridge, type AppSnapshot } from '../../src-shared/contract.js';

/** The latest engine snapshot, or null before the first one arrived; views render it and never edit it. */
export function useSnapshot(bridge: AppBridge | null): AppSnapshot | null {
  const [snapshot, setSnapshot] = useState<AppSnapshot | null>(bridge ? null : INITIAL_SNAPSHOT);
  useEffect(() => {
    if (!bridge) return;
    let live = true;
    const accept = (value: unknown) => {
      const parsed = appSnapshotSchema.safeParse(value);
      if (live && parsed.success) setSnapshot(parsed.data);
    };
    void bridge.getSnapshot().then(accept);
    const unsubscribe = bridge.onSnapshot(accept);
    return () => {
      live = false;
      unsubscribe();
    };
  }, [bridge]);
  return snapshot;
}
