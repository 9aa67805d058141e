/**
 * "Recent arrivals" on the status view: one tile per newly downloaded photo or video, newest first,
 * with Apple's thumbnail once the service has fetched it (after the run), a placeholder before or
 * without one, and a video's length on it. Each tile can be reached with the keyboard and reads out
 * the file name, the kind and when it arrived.
 */
import type { AppBridge, Arrival } from '../../src-shared/contract.js';
import { formatWhen } from '../format.js';
import { useThumbnail } from '../thumbnail-image.js';

const SHOWN = 12;

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function formatClock(seconds: number): string {
  const total = Math.round(seconds);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** One tile per asset: a Live Photo's picture and video, or an edit and its original, arrive as several files. */
function newestPerAsset(arrivals: Arrival[]): Arrival[] {
  const seen = new Set<string>();
  return arrivals.filter((arrival) => !seen.has(arrival.assetId) && seen.add(arrival.assetId)).slice(0, SHOWN);
}

const fileName = (relPath: string) => relPath.split('/').pop() ?? relPath;

export function RecentArrivals({ bridge, arrivals }: { bridge: AppBridge; arrivals: Arrival[] }) {
  const shown = newestPerAsset(arrivals);
  if (shown.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="recent-arrivals-title">
      <h3 id="recent-arrivals-title">Recent arrivals</h3>
      <ul className="arrivals">
        {shown.map((arrival) => (
          <ArrivalTile key={arrival.assetId} bridge={bridge} arrival={arrival} />
        ))}
      </ul>
    </section>
  );
}

function ArrivalTile({ bridge, arrival }: { bridge: AppBridge; arrival: Arrival }) {
  const image = useThumbnail(bridge, arrival.assetId, arrival.thumbnail);
  const name = fileName(arrival.relPath);
  const video = arrival.media === 'video';
  const duration = video && arrival.durationSeconds != null ? formatClock(arrival.durationSeconds) : null;
  const description = `${name}, ${video ? `video${duration ? ` ${duration}` : ''}` : 'photo'}, arrived ${formatWhen(arrival.at)}`;
  return (
    <li tabIndex={0} aria-label={description} title={description}>
      <figure>
        {image ? (
          <img src={image} alt={name} />
        ) : (
          <div className="placeholder" role="img" aria-label={name}>
            <span aria-hidden="true">{video ? '▶' : arrival.thumbnail === 'pending' ? '…' : '▢'}</span>
          </div>
        )}
        {video && (
          <span className="duration" aria-hidden="true">
            ▶ {duration ?? 'Video'}
          </span>
        )}
        <figcaption>{name}</figcaption>
      </figure>
    </li>
  );
}
