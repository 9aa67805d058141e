import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCloudKitHandler } from '../sim/cloudkit/index.js';
import { createContentHandler } from '../sim/content/index.js';
import { parseCookieHeader, readBody } from '../sim/http-io.js';
import { createSimLibrary, type SimLibrary, type SimLibraryOptions } from '../sim/library/index.js';
import { createPrng } from '../sim/prng.js';
import { NO_FAULTS, type FaultOptions, type SimConditions, type SimContext, type SimRequest } from '../sim/types.js';

const DSID = '10000000001';
const PHOTOS_DB = '/database/1/com.apple.photos.cloud/production';
export const CK_PARAMS = `clientBuildNumber=2534Project66&clientMasteringNumber=2534B22&clientId=test-client&dsid=${DSID}&remapEnums=true&getCurrentSyncToken=true`;

/** Responses are read field by field in the tests; a full schema per assertion would hide what is checked. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface PhotosHarness {
  base: string;
  library: SimLibrary;
  conditions: SimConditions;
  faults: FaultOptions;
  violations: string[];
  /** Lifetime of download URLs handed out from now on. */
  urlTtlMs: number;
  ck(path: string, body: unknown, options?: { params?: string; cookies?: string; method?: string }): Promise<{ status: number; json: Json }>;
  close(): Promise<void>;
}

/**
 * The photo handlers on a bare node:http server on 127.0.0.1, with a stub context whose session
 * check always passes: tests here are about the Photos routes, not sign-in.
 */
export async function startPhotosHarness(options: Partial<SimLibraryOptions> = {}): Promise<PhotosHarness> {
  const library = createSimLibrary({ seed: 11, assets: 300, sharedAssets: 12, ...options });
  const harness = {
    conditions: { webAccessDisabled: false, adp: false, throttled: false, locked: false, indexing: false } as SimConditions,
    faults: { ...NO_FAULTS },
    violations: [] as string[],
    urlTtlMs: 60_000,
  };
  let base = '';
  const ctx: SimContext = {
    session: { check: () => ({ ok: true, dsid: DSID }) },
    conditions: () => harness.conditions,
    faults: () => harness.faults,
    random: createPrng(5),
    contentBaseUrl: () => base,
    downloadUrlTtlMs: () => harness.urlTtlMs,
    recordViolation: (req, reason) => harness.violations.push(`${req.method} ${req.path}: ${reason}`),
  };
  const cloudkit = createCloudKitHandler(library, ctx);
  const content = createContentHandler(library, ctx);
  const server: Server = createServer((raw, res) => {
    void (async () => {
      const url = new URL(raw.url ?? '/', 'http://127.0.0.1');
      const req: SimRequest = {
        role: url.pathname.startsWith('/B/') ? 'content' : 'ckdatabase',
        method: raw.method ?? 'GET',
        path: raw.url?.split('?')[0] ?? '/',
        query: url.searchParams,
        headers: raw.headers,
        cookies: parseCookieHeader(raw.headers.cookie),
        body: await readBody(raw),
        raw,
      };
      await (req.role === 'content' ? content : cloudkit)(req, res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(harness, {
    base,
    library,
    async ck(path: string, body: unknown, options: { params?: string; cookies?: string; method?: string } = {}) {
      const response = await fetch(`${base}${PHOTOS_DB}/${path}?${options.params ?? CK_PARAMS}`, {
        method: options.method ?? 'POST',
        headers: { 'Content-Type': 'text/plain', ...(options.cookies ? { Cookie: options.cookies } : {}) },
        body: options.method === 'GET' ? undefined : JSON.stringify(body),
      });
      return { status: response.status, json: await response.json() };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** Body of the main listing query, as icloudpd sends it. */
export function listingQuery(startRank: number, resultsLimit = 200, zoneName = 'PrimarySync', extra: object = {}) {
  return {
    query: {
      recordType: 'CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted',
      filterBy: [
        { fieldName: 'startRank', comparator: 'EQUALS', fieldValue: { type: 'INT64', value: startRank } },
        { fieldName: 'direction', comparator: 'EQUALS', fieldValue: { type: 'STRING', value: 'ASCENDING' } },
      ],
    },
    resultsLimit,
    zoneID: { zoneName },
    ...extra,
  };
}
