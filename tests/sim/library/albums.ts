import { unit } from './hash.js';
import { albumUuid } from './ids.js';
import { changeTag } from './asset-state.js';
import type { SimAlbum } from './types.js';

export const ROOT_FOLDER_ID = '----Root-Folder----';
export const PROJECT_ROOT_FOLDER_ID = '----Project-Root-Folder----';

interface AlbumSeed {
  name: string;
  albumType: number;
  /** Index of the parent folder in this list, or undefined for top level. */
  parent?: number;
  isDeleted?: boolean;
  /** Share of the library's photos in the album. */
  share: number;
}

/** A small fixed tree: a folder with albums, a hostile name, an NFD name, an empty and a deleted album. */
const ALBUM_SEEDS: readonly AlbumSeed[] = [
  { name: 'Trips', albumType: 3, share: 0 },
  { name: 'Summer 2019', albumType: 0, parent: 0, share: 0.05 },
  { name: 'Norway: fjords/coast', albumType: 0, parent: 0, share: 0.04 },
  { name: 'Family', albumType: 0, share: 0.1 },
  { name: 'Jo\u0308rg\u2019s birthday', albumType: 0, share: 0.03 },
  { name: '../../evil album', albumType: 0, share: 0.02 },
  { name: 'Empty', albumType: 0, share: 0 },
  { name: 'Old trash', albumType: 0, isDeleted: true, share: 0.02 },
];

/** Albums of the PrimarySync zone, including the root folders clients must skip. */
export function generateAlbums(seed: number): SimAlbum[] {
  const ids = ALBUM_SEEDS.map((_, index) => albumUuid(seed, index));
  const roots: SimAlbum[] = [ROOT_FOLDER_ID, PROJECT_ROOT_FOLDER_ID].map((id, index) => ({
    id,
    name: id,
    albumType: 3,
    parentId: undefined,
    position: index,
    isDeleted: false,
    changeTag: changeTag(seed, index, 0xa0, 0),
  }));
  return roots.concat(
    ALBUM_SEEDS.map((album, index) => ({
      id: ids[index] ?? '',
      name: album.name,
      albumType: album.albumType,
      parentId: album.parent === undefined ? undefined : ids[album.parent],
      position: 1024 * (index + 1),
      isDeleted: album.isDeleted ?? false,
      changeTag: changeTag(seed, index, 0xa1, 0),
    })),
  );
}

/** Whether a generated asset is in the album at `index` of ALBUM_SEEDS. */
export function inGeneratedAlbum(seed: number, serial: number, index: number): boolean {
  const share = ALBUM_SEEDS[index]?.share ?? 0;
  return share > 0 && unit(seed, serial, 0xa2, index) < share;
}

export const GENERATED_ALBUM_COUNT = ALBUM_SEEDS.length;
