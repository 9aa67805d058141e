import { describe, expect, it } from 'vitest';
import type { ICloudAsset } from '../../src-main/icloud/photos/asset.js';
import type { PlanAction } from '../../src-main/sync/plan-types.js';
import { planSync, type PlanInput } from './sync-plan-in-memory.js';
import { parseSyncOptions, type SyncOptionsInput } from '../../src-main/sync/sync-options.js';
import { makeAsset, tracked } from './sync-fixtures.js';

function plan(assets: ICloudAsset[], over: Partial<Omit<PlanInput, 'options'>> = {}, options: SyncOptionsInput = {}) {
  return planSync({ assets, tracked: [], untracked: [], templateChanged: false, ...over, options: parseSyncOptions({ dateZone: 'asset', ...options }) });
}
const summary = (a: PlanAction) => (a.kind === 'skip' ? `skip:${a.reason} ${a.assetId}` : `${a.kind} ${a.relPath}`);

describe('planSync', () => {
  it('downloads everything new into the date layout, live video and edit beside the original', () => {
    const asset = makeAsset('1', {}, ['original', 'live-video', 'edited']);
    const result = plan([asset]);
    expect(result.actions.map(summary)).toEqual([
      'download 2024/03/15/IMG_1.JPG',
      'download 2024/03/15/IMG_1.MOV',
      'download 2024/03/15/IMG_1-edited.JPG',
    ]);
    expect(result.counts).toMatchObject({ download: 3, downloadBytes: asset.resources.reduce((s, r) => s + r.size, 0) });
  });

  it('skips what it has and what the user deleted', () => {
    const a = makeAsset('1');
    const b = makeAsset('2');
    const result = plan([a, b], { tracked: [tracked(a, '2024/03/15/IMG_1.JPG'), tracked(b, 'x/IMG_2.JPG', { state: 'deleted-locally', noticedAt: 5 })] });
    expect(result.actions.map(summary)).toEqual(['skip:already-have 1', 'skip:deleted-locally 2']);
    expect(result.counts).toMatchObject({ alreadyHave: 1, deletedLocally: 1, download: 0 });
  });

  it('gives colliding names (also case-only) a stable suffix, whatever the listing order', () => {
    const a = makeAsset('a', { filename: 'IMG_1.JPG', addedDate: 1 });
    const b = makeAsset('b', { filename: 'img_1.jpg', addedDate: 2 });
    const forward = plan([a, b]).actions.map(summary);
    const backward = plan([b, a]).actions.map(summary);
    expect(forward).toEqual(backward);
    expect(forward[0]).toBe('download 2024/03/15/IMG_1.JPG');
    expect(forward[1]).toMatch(/^download 2024\/03\/15\/img_1_[0-9a-f]{7}\.jpg$/);
  });

  it('lets the first-tracked file keep the plain name when a newer asset arrives first in sort order', () => {
    const newer = makeAsset('n', { filename: 'IMG_1.JPG', addedDate: 0 });
    const old = makeAsset('o', { filename: 'IMG_1.JPG', addedDate: 5 });
    const result = plan([newer, old], { tracked: [tracked(old, '2024/03/15/IMG_1.JPG')] });
    expect(result.actions.map(summary)).toEqual([expect.stringMatching(/^download 2024\/03\/15\/IMG_1_[0-9a-f]{7}\.JPG$/), 'skip:already-have o']);
  });

  it('adopts its own collision-suffixed file left unrecorded by a run that stopped after putting it in place', () => {
    const first = makeAsset('f', { filename: 'IMG_1.JPG', addedDate: 1 });
    const second = makeAsset('s', { filename: 'IMG_1.JPG', addedDate: 2 });
    const fresh = plan([first, second], { tracked: [tracked(first, '2024/03/15/IMG_1.JPG')] }).actions.map(summary);
    const suffixed = /^download (.+)$/.exec(fresh[1] ?? '')?.[1] ?? '';
    expect(suffixed).toMatch(/^2024\/03\/15\/IMG_1_[0-9a-f]{7}\.JPG$/);
    const size = second.resources[0]?.size ?? 0;
    const after = plan([first, second], { tracked: [tracked(first, '2024/03/15/IMG_1.JPG')], untracked: [{ relPath: suffixed, size }] });
    expect(after.actions.map(summary)).toEqual(['skip:already-have f', `adopt ${suffixed}`]);
  });

  it('never lands on an untracked file of another size, and adopts one of the same size', () => {
    const a = makeAsset('1');
    const size = a.resources[0]?.size ?? 0;
    const same = plan([a], { untracked: [{ relPath: '2024/03/15/IMG_1.JPG', size }] });
    expect(same.actions.map(summary)).toEqual(['adopt 2024/03/15/IMG_1.JPG']);
    const other = plan([a], { untracked: [{ relPath: '2024/03/15/IMG_1.JPG', size: size + 1 }] });
    expect(other.actions.map(summary)).toEqual([expect.stringMatching(/^download 2024\/03\/15\/IMG_1_[0-9a-f]{7}\.JPG$/)]);
    const dedup = plan([a], { untracked: [{ relPath: '2024/03/15/IMG_1.JPG', size: 1 }, { relPath: `2024/03/15/IMG_1-${size}.JPG`, size }] });
    expect(dedup.actions.map(summary)).toEqual([`adopt 2024/03/15/IMG_1-${size}.JPG`]);
  });

  it('the same photo in both libraries is planned once', () => {
    const personal = makeAsset('1');
    const shared = { ...makeAsset('1'), library: 'shared' as const, assetRecordName: 'other' };
    expect(plan([shared, personal]).counts.download).toBe(1);
  });

  it('brings a new edit as a new file and a re-edit over the old edited file, never over the original', () => {
    const before = makeAsset('1');
    const after = makeAsset('1', { changeTag: 't2' }, ['original', 'edited']);
    const result = plan([after], { tracked: [tracked(before, '2024/03/15/IMG_1.JPG')] });
    expect(result.actions.map(summary)).toEqual(['skip:already-have 1', 'download 2024/03/15/IMG_1-edited.JPG']);
    // The earlier edit was recorded under its own identity (master + its checksum) for this entry.
    const earlierEdit = tracked(after, '2024/03/15/IMG_1-edited.JPG', { version: 'edited', assetId: '1:old', fileChecksum: 'old' });
    const reEdited = plan([after], { tracked: [tracked(before, '2024/03/15/IMG_1.JPG'), earlierEdit] });
    const download = reEdited.actions.find((a) => a.kind === 'download');
    expect(download && download.kind === 'download' && download.replaces).toMatchObject({ assetId: '1:old', version: 'edited' });
    expect(download?.kind === 'download' && download.relPath).toBe('2024/03/15/IMG_1-edited.JPG');
    // A row migrated from before edits had their own identity (no record name) is found by its master.
    const legacy = plan([after], { tracked: [tracked(before, '2024/03/15/IMG_1.JPG'), { ...earlierEdit, assetRecord: null }] });
    expect(legacy.actions.map(summary)).toEqual(['skip:already-have 1', 'download 2024/03/15/IMG_1-edited.JPG']);
  });

  it('plans a Duplicate\'s original once, from the copy added first, and each copy\'s edit as its own file', () => {
    const first = makeAsset('1', { addedDate: 10 }, ['original', 'edited']);
    const copyEdit = { ...first.resources[1]!, fileChecksum: 'ck-copy-edit' };
    const copy = { ...first, assetRecordName: 'rec-copy', addedDate: 20, editId: '1:ck-copy-edit', resources: [first.resources[0]!, copyEdit] };
    const expected = ['download 2024/03/15/IMG_1.JPG', 'download 2024/03/15/IMG_1-edited.JPG', 'download 2024/03/15/IMG_1-edited_'];
    for (const order of [[first, copy], [copy, first]]) {
      const actions = plan(order).actions.map(summary);
      expect(actions.slice(0, 2)).toEqual(expected.slice(0, 2));
      expect(actions).toHaveLength(3);
      expect(actions[2]?.startsWith(expected[2]!)).toBe(true);
    }
    // Edits only: an unedited copy still brings the original (it has nothing else to show), once.
    const plainCopy = { ...first, assetRecordName: 'rec-plain', addedDate: 30, editId: null, adjustmentType: null, resources: [first.resources[0]!] };
    const editsOnly = plan([first, plainCopy], {}, { originals: false }).actions.map(summary);
    expect(editsOnly).toEqual(['download 2024/03/15/IMG_1-edited.JPG', 'download 2024/03/15/IMG_1.JPG']);
  });

  it('does not bring back a photo the user deleted when it is edited in iCloud later', () => {
    const before = makeAsset('1');
    const after = makeAsset('1', { changeTag: 't2' }, ['original', 'edited']);
    const result = plan([after], { tracked: [tracked(before, '2024/03/15/IMG_1.JPG', { state: 'deleted-locally', noticedAt: 3 })] });
    expect(result.actions.map(summary)).toEqual(['skip:deleted-locally 1', 'skip:deleted-locally 1:ck-1-edited']);
  });

  it('moves tracked files when the template changed, and only then', () => {
    const a = makeAsset('1');
    const tracking = [tracked(a, '2024/03/15/IMG_1.JPG')];
    expect(plan([a], { tracked: tracking }, { template: '{name}' }).actions.map(summary)).toEqual(['skip:already-have 1']);
    expect(plan([a], { tracked: tracking, templateChanged: true }, { template: '{name}' }).actions.map(summary)).toEqual(['move IMG_1.JPG']);
  });

  it('applies the type, version, hidden, shared, date, recent and album filters', () => {
    const photo = makeAsset('p', { assetDate: 3 }, ['original', 'alternative', 'live-video', 'edited']);
    const video = makeAsset('v', { mediaType: 'video', assetDate: 2 });
    const hidden = makeAsset('h', { isHidden: true, assetDate: 4 });
    const shared = makeAsset('s', { library: 'shared', assetDate: 1 });
    const all = [photo, video, hidden, shared];
    const versions = (o: SyncOptionsInput) => plan([photo], {}, o).actions.filter((a) => a.kind === 'download').map((a) => (a.kind === 'download' ? a.resource.version : ''));
    expect(versions({})).toEqual(['original', 'alternative', 'live-video', 'edited']);
    expect(versions({ originals: false, livePhotoVideos: false })).toEqual(['edited']);
    expect(versions({ edited: false, rawAlternatives: false })).toEqual(['original', 'live-video']);
    expect(plan([makeAsset('x')], {}, { originals: false }).counts.download).toBe(1);

    const ids = (o: SyncOptionsInput, albumsOf?: Map<string, string[]>) =>
      [...new Set(plan(all, albumsOf ? { albumsOf } : {}, o).actions.filter((a) => a.kind === 'download').map((a) => (a.kind === 'download' ? a.asset.id : '')))].sort();
    expect(ids({})).toEqual(['p', 's', 'v']);
    expect(ids({ videos: false, includeShared: false })).toEqual(['p']);
    expect(ids({ includeHidden: true, photos: false })).toEqual(['v']);
    expect(ids({ includeHidden: true, recent: 2 })).toEqual(['h', 'p']);
    expect(ids({ capturedAfter: 2 })).toEqual(['p', 'v']);
    expect(ids({ albums: ['Trip'] }, new Map([['v', ['Trip']], ['s', ['Home']]]))).toEqual(['v']);
    expect(plan(all, {}, { videos: false }).counts.filtered).toBe(2);
  });

  it('files assets by album with {album}, the first album by name when there are several', () => {
    const a = makeAsset('1');
    const result = plan([a], { albumsOf: new Map([['1', ['Zoo', 'Beach']]]) }, { template: '{album}/{name}' });
    expect(result.actions.map(summary)).toEqual(['download Beach/IMG_1.JPG']);
  });
});
