import type { SimAsset, SimLibrary, SimResource } from '../library/index.js';
import { assetRecord, masterRecord, signedUrlOf, type RenderScope } from './render.js';
import { RawJson } from './wire.js';

/**
 * Listing pages from records serialized once per asset (issue 10: at 100,000 photos, rendering and
 * JSON-encoding every record on every page made the simulator's CPU, not the 40 ms latency, set
 * the listing benchmark's times). A record's text is kept with a slot for each download URL; only
 * the URLs (their expiry and signature change with time) are made per answer. The bytes sent are
 * the same as rendering the record afresh. Everything is dropped when the library changes.
 */

const URL_SLOT = /"\\u0001(\d+)\\u0001"/;

interface RecordTemplate {
  /** The record's JSON split at its URL slots: text, slot, text, slot, ..., text. */
  parts: string[];
  resources: SimResource[];
}

const cachesByLibrary = new WeakMap<SimLibrary, { generation: number; templates: Map<string, RecordTemplate> }>();

function templateOf(scope: RenderScope, asset: SimAsset, kind: 'master' | 'asset'): RecordTemplate {
  const generation = scope.library.generation();
  let cache = cachesByLibrary.get(scope.library);
  if (cache?.generation !== generation) {
    cache = { generation, templates: new Map() };
    cachesByLibrary.set(scope.library, cache);
  }
  const { templates } = cache;
  const keys = scope.desiredKeys ? [...scope.desiredKeys].join(',') : '*';
  const cacheKey = `${asset.serial}|${kind}|${asset.zoneName}|${keys}`;
  let template = templates.get(cacheKey);
  if (!template) {
    const resources: SimResource[] = [];
    const urlSlot = (resource: SimResource) => `\u0001${resources.push(resource) - 1}\u0001`;
    const record = (kind === 'master' ? masterRecord : assetRecord)({ ...scope, urlSlot }, asset);
    template = { parts: JSON.stringify(record).split(URL_SLOT), resources };
    templates.set(cacheKey, template);
  }
  return template;
}

/** The master or asset record of a listing page, as text ready for `toJsonText`. */
export function listedRecord(scope: RenderScope, asset: SimAsset, kind: 'master' | 'asset'): RawJson {
  const { parts, resources } = templateOf(scope, asset, kind);
  let text = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const resource = resources[Number(parts[i])];
    if (!resource) throw new Error('a record template without its resource');
    // A URL holds no character JSON would escape (base64url, `${f}`, host and query).
    text += `"${signedUrlOf(scope, asset, resource)}"${parts[i + 1] ?? ''}`;
  }
  return new RawJson(text);
}
