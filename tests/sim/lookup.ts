import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;

/** The simulator's host names all end in `.test` (RFC 6761), which never resolves on a real network. */
function isSimHost(hostname: string): boolean {
  return hostname.toLowerCase().replace(/\.$/, '').endsWith('.test');
}

/**
 * A drop-in for `dns.lookup` (both the single-address and the `all: true` form, as got and node's
 * http agent call it) that answers 127.0.0.1 for every `*.test` host and refuses everything else,
 * so a test can never reach a real server. Clients get it injected in tests only.
 */
export function simLookup(
  hostname: string,
  optionsOrCallback: number | LookupOneOptions | LookupAllOptions | LookupCallback,
  maybeCallback?: LookupCallback,
): void {
  const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
  if (!callback) throw new TypeError('simLookup needs a callback');
  const options = typeof optionsOrCallback === 'object' ? optionsOrCallback : {};
  const family = typeof optionsOrCallback === 'number' ? optionsOrCallback : (options.family ?? 0);
  process.nextTick(() => {
    if (!isSimHost(hostname) || family === 6 || family === 'IPv6') {
      const err: NodeJS.ErrnoException = new Error(`simLookup refuses ${hostname}: only *.test hosts resolve, to 127.0.0.1`);
      err.code = 'ENOTFOUND';
      err.syscall = 'getaddrinfo';
      callback(err);
      return;
    }
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  });
}
