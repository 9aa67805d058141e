import type { ICloudAsset } from '../../icloud/photos/asset.js';
import { folderDateParts, type FolderDateZone } from './folder-date.js';
import { sanitizeSegment } from './sanitize.js';

/** icloudpd's default layout: adopting its folders works out of the box. */
export const DEFAULT_TEMPLATE = '{yyyy}/{mm}/{dd}/{name}';
export const TEMPLATE_PRESETS = { date: DEFAULT_TEMPLATE, flat: '{name}', album: '{album}/{name}' } as const;

const TOKENS = new Set(['yyyy', 'mm', 'dd', 'album', 'name']);

/** A reason the template is unusable, or null when it is fine. */
export function templateProblem(template: string): string | null {
  const segments = template.split('/');
  if (segments.at(-1) !== '{name}') return 'The folder template must end with /{name}.';
  for (const token of template.matchAll(/\{([^}]*)\}/g)) {
    if (!TOKENS.has(token[1] ?? '')) return `Unknown placeholder {${token[1]}}; use {yyyy}, {mm}, {dd}, {album}, {name}.`;
  }
  if (segments.slice(0, -1).some((s) => s.includes('{name}'))) return '{name} may only appear once, at the end.';
  return null;
}

export interface PathInputs {
  template: string;
  dateZone: FolderDateZone;
  /** Album the file is filed under, for {album}; an empty segment is dropped. */
  album?: string;
}

/**
 * The relative path ('/'-separated) a resource should have: every folder segment and the file name
 * are sanitised separately, so nothing in a name can add a level or climb out.
 */
export function renderRelPath(
  asset: Pick<ICloudAsset, 'assetDate' | 'timeZoneOffsetSeconds'>,
  fileName: string,
  inputs: PathInputs,
): string {
  const date = folderDateParts(asset, inputs.dateZone);
  const values: Record<string, string> = { ...date, album: inputs.album ?? '' };
  const folders = inputs.template
    .split('/')
    .slice(0, -1)
    .map((segment) => segment.replace(/\{([a-z]+)\}/g, (_, token: string) => values[token] ?? ''))
    .filter((segment) => segment.trim() !== '')
    .map(sanitizeSegment);
  return [...folders, sanitizeSegment(fileName)].join('/');
}
