import type { WebPageView } from '../../src-shared/contract.js';

/**
 * The local web page's state beside the status: nothing while it is off, its address while it
 * serves (never the link with its key: that is a secret), and what went wrong when it could not start.
 */
export function WebPageNote({ page }: { page: WebPageView }) {
  if (page.status === 'off') return null;
  return (
    <div className="panel" role="region" aria-label="Local web page">
      <h3>Local web page</h3>
      {page.status === 'failed' ? (
        <>
          <p className="warning">{page.message ?? 'The local web page could not start. Check its address and port range in Settings.'}</p>
          <p className="hint">Syncing is not affected.</p>
        </>
      ) : page.status === 'starting' ? (
        <p className="hint">Starting…</p>
      ) : (
        <p className="hint">
          On at <span className="address">{page.url}</span>. Open it with its link, kept in web-link.txt in the data folder (<code>icloud-photo-sync web-link</code> prints it); keep it private: it opens this page.
        </p>
      )}
    </div>
  );
}
