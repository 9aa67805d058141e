// Child process for sync-folder-date-zones.test.ts: renders the default layout's folders for each
// instant (ms since epoch, argv) under the TZ the parent set, as the engine does on that machine.
import { renderRelPath } from '../../src-main/sync/naming/path-template.js';

const folders = process.argv.slice(2).map((ms) =>
  renderRelPath({ assetDate: Number(ms), timeZoneOffsetSeconds: null }, 'a.jpg', { template: '{yyyy}/{mm}/{dd}/{name}', dateZone: 'local' }).replace(/\/a\.jpg$/, ''),
);
process.stdout.write(JSON.stringify(folders));
