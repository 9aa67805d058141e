import { peakGrowth } from './measure.js';
import { openBenchSession } from './signed-in-client.js';

/**
 * One listing in a fresh process (run with --expose-gc), so the heap and RSS it grows to are its
 * own and not left over from an earlier, smaller listing. Sends { assets, heapBytes, rssBytes }.
 */
const assets = Number(process.argv[2]);
const session = await openBenchSession({ assets });
try {
  const source = session.newSource();
  const { result: listed, heapBytes, rssBytes } = await peakGrowth(async () => {
    let count = 0;
    for await (const _asset of source.listAssets({ includeShared: false, includeHidden: false })) count += 1;
    return count;
  }, 5);
  process.send?.({ assets: listed, heapBytes, rssBytes });
} finally {
  await session.close();
  process.disconnect?.();
}
