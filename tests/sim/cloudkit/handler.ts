import type { ServerResponse } from 'node:http';
import type { SimLibrary } from '../library/index.js';
import type { RouteHandler, SimContext, SimRequest } from '../types.js';
import { databaseChanges, lookupRecords, zoneChanges, zonesList, zonesOf, type Database } from './feeds.js';
import { answerQuery, type QueryAnswer } from './query.js';
import { batchRequestSchema, parseBody, queryRequestSchema, type QueryRequest } from './requests.js';
import type { RenderScope } from './render.js';
import { CkFailure, ckError, sendCk } from './wire.js';

const DATABASE_PATH = /^\/database\/1\/com\.apple\.photos\.cloud\/production\/(private|shared)\/(.+)$/;
/** Any path that could change iCloud: this app must never send one. */
const MUTATING_PATH = /modify|delete|upload|save|create|remove|update/i;
const REQUIRED_PARAMS = ['clientBuildNumber', 'clientMasteringNumber', 'clientId', 'dsid', 'remapEnums'] as const;
const PCS_COOKIES = ['X-APPLE-WEBAUTH-PCS-Photos', 'X-APPLE-WEBAUTH-PCS-Sharing'];

function accessDenied(): CkFailure {
  return new CkFailure(403, 'ACCESS_DENIED', 'private db access disabled for this account');
}

/** Checks that apply to every CloudKit call once the session is known good. */
function checkRequest(req: SimRequest, ctx: SimContext, dsid: string): void {
  for (const name of REQUIRED_PARAMS) {
    if (!req.query.get(name)) throw new CkFailure(400, 'BAD_REQUEST', `Missing query parameter ${name}`);
  }
  if (req.query.get('dsid') !== dsid) throw new CkFailure(401, 'AUTHENTICATION_FAILED', 'dsid does not match the session');
  if (req.method !== 'POST') throw new CkFailure(405, 'BAD_REQUEST', `${req.method} is not supported; use POST`);
  // Clients send text/plain (icloudpd, pyicloud2, kei) or application/json (ips); nothing else is recorded.
  const contentType = String(req.headers['content-type'] ?? '');
  if (!/^(text\/plain|application\/json)\b/i.test(contentType)) {
    throw new CkFailure(415, 'BAD_REQUEST', 'Content-Type must be text/plain or application/json');
  }
  const conditions = ctx.conditions();
  if (conditions.webAccessDisabled) throw accessDenied();
  if (conditions.adp && !PCS_COOKIES.every((name) => req.cookies[name])) throw accessDenied();
}

function queryZone(library: SimLibrary, database: Database, request: QueryRequest): string {
  const zoneName = request.zoneID.zoneName;
  if (!zonesOf(library, database).includes(zoneName)) throw new CkFailure(404, 'ZONE_NOT_FOUND', `Zone ${zoneName} does not exist`);
  return zoneName;
}

function scopeFor(library: SimLibrary, ctx: SimContext, request: QueryRequest): RenderScope {
  return request.desiredKeys ? { library, ctx, desiredKeys: new Set(request.desiredKeys) } : { library, ctx };
}

function route(library: SimLibrary, ctx: SimContext, database: Database, operation: string, body: Buffer): unknown {
  const scope: RenderScope = { library, ctx };
  switch (operation) {
    case 'zones/list':
      return zonesList(library, database);
    case 'changes/database':
      return databaseChanges(library, database, body);
    case 'changes/zone':
      return zoneChanges(scope, database, body);
    case 'records/lookup':
      return lookupRecords(scope, database, body);
    case 'records/query': {
      const request = parseBody(queryRequestSchema, body);
      return answerQuery(scopeFor(library, ctx, request), queryZone(library, database, request), request);
    }
    case 'internal/records/query/batch': {
      const { batch } = parseBody(batchRequestSchema, body);
      const answers: QueryAnswer[] = batch.map((request) =>
        answerQuery(scopeFor(library, ctx, request), queryZone(library, database, request), request),
      );
      return { batch: answers };
    }
    default:
      throw new CkFailure(404, 'NOT_FOUND', `Unknown CloudKit operation ${operation}`);
  }
}

/** The Photos database of CloudKit web services: read-only, and every write attempt is a recorded violation. */
export function createCloudKitHandler(library: SimLibrary, ctx: SimContext): RouteHandler {
  return (req: SimRequest, res: ServerResponse) => {
    try {
      if (MUTATING_PATH.test(req.path)) {
        ctx.recordViolation(req, `mutating CloudKit call ${req.method} ${req.path}`);
        throw new CkFailure(403, 'ACCESS_DENIED', 'The simulator refuses changes: this app must never modify iCloud');
      }
      const match = DATABASE_PATH.exec(req.path);
      if (!match) throw new CkFailure(404, 'NOT_FOUND', 'Unknown path');
      const session = ctx.session.check(req);
      if (!session.ok) {
        sendCk(res, session.status, session.body);
        return;
      }
      checkRequest(req, ctx, session.dsid);
      sendCk(res, 200, route(library, ctx, match[1] as Database, match[2] ?? '', req.body));
    } catch (error) {
      if (!(error instanceof CkFailure)) throw error;
      sendCk(res, error.status, ckError(error.serverErrorCode, error.message));
    }
  };
}
