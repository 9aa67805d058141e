import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SIM_HOSTS, type FaultOptions, type RouteHandler, type SimConditions, type SimContext, type SimRole } from './types.js';
import { resolveOptions, DEFAULT_CONDITIONS, type CodeDelivery, type SimulatorOptions } from './options.js';
import { createSimAccount } from './sim-account.js';
import { AuthStore } from './auth/auth-store.js';
import { AUTH_BASE_PATH, handleAuthRequest } from './auth/auth-router.js';
import { WebSessionStore } from './setup/web-sessions.js';
import { countsAgainstSession, createSetupHandler, SETUP_BASE_PATH } from './setup/setup-router.js';
import { FaultInjector } from './faults.js';
import { createPrng } from './prng.js';
import { loggablePath, RequestLog, type RequestLogEntry, type ViolationEntry } from './request-log.js';
import { parseCookieHeader, readBody, sendHtml, sendJson } from './http-io.js';
import { createSimLibrary, type SimLibrary } from './library/index.js';
import { createCloudKitHandler } from './cloudkit/index.js';
import { createContentHandler } from './content/index.js';
import { expireDownloadUrls } from './content/signed-url.js';
import { registerViolationSource } from './violation-registry.js';
import type { SimCore, SimUrls } from './core.js';

export type { SimulatorOptions } from './options.js';

export interface Simulator {
  port: number;
  urls: SimUrls;
  hosts: typeof SIM_HOSTS;
  account: { appleId: string; password: string; dsid: string };
  /** The 2FA code the simulator accepts (deterministic from the seed). */
  code: string;
  deliveredCodes(): CodeDelivery[];
  /** The generated photo library; tests add, edit and delete assets through it between runs. */
  library: SimLibrary;
  setConditions(partial: Partial<SimConditions>): void;
  /**
   * Switches faults on or off. `onlyRoles` limits the slow/5xx/Retry-After faults to those roles
   * (e.g. ['ckdatabase'] throttles Photos while sign-in still works); omitted = every role.
   */
  setFaults(partial: Partial<FaultOptions>, onlyRoles?: readonly SimRole[]): void;
  expireWebSessions(): void;
  expireTrust(): void;
  /** Every download link handed out so far answers 403 "Expired URL" from now on (records/lookup gives fresh ones). */
  expireDownloadUrls(): void;
  requestLog(): RequestLogEntry[];
  violations(): ViolationEntry[];
  /**
   * Marks the violations so far as provoked on purpose by the test itself, so the suite-wide check
   * that nothing ever tries to change iCloud (tests/support/no-icloud-changes.ts) ignores them.
   */
  acknowledgeViolations(): void;
  close(): Promise<void>;
}

const ROLE_BY_HOST = new Map<string, SimRole>(Object.entries(SIM_HOSTS).map(([role, host]) => [host, role as SimRole]));

function roleOf(req: IncomingMessage): SimRole | undefined {
  const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  return ROLE_BY_HOST.get(host);
}

export async function startSimulator(partial: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const options = resolveOptions(partial);
  const now = (): number => Date.now();
  let conditions: SimConditions = { ...DEFAULT_CONDITIONS, ...options.conditions };
  const faults = new FaultInjector(options.seed, options.faults);
  const log = new RequestLog(options.logPath);
  const deliveries: CodeDelivery[] = [];
  const handlers: Partial<Record<SimRole, RouteHandler>> = {};

  const listener = (req: IncomingMessage, res: ServerResponse) => void serve(req, res);
  // HTTPS when given a certificate (the benchmarks: Apple serves TLS, and its cost belongs in the figures).
  const server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  const base = (role: SimRole): string => `${scheme}://${SIM_HOSTS[role]}:${port}`;
  const urls: SimUrls = {
    auth: `${base('auth')}${AUTH_BASE_PATH}`,
    setup: `${base('setup')}${SETUP_BASE_PATH}`,
    webOrigin: base('web'),
    ckdatabase: base('ckdatabase'),
    content: base('content'),
  };

  const web = new WebSessionStore(now, {
    maxRequests: () => {
      const limits = [options.sessionMaxRequests, faults.get().expireSessionAfterRequests].filter((n) => n > 0);
      return limits.length ? Math.min(...limits) : 0;
    },
    pcsRequired: () => conditions.adp && !conditions.webAccessDisabled,
  });
  const core: SimCore = {
    options,
    account: createSimAccount(options.seed, options.account, options.mfa),
    auth: new AuthStore(now),
    web,
    urls,
    conditions: () => conditions,
    setConditions: (p) => {
      conditions = { ...conditions, ...p };
    },
    now,
    deliverCode: (delivery) => {
      const entry = { ...delivery, at: now() };
      deliveries.push(entry);
      options.onCodeDelivered?.(entry);
    },
  };
  const ctx: SimContext = {
    session: web,
    conditions: () => conditions,
    faults: () => faults.get(),
    random: createPrng(options.seed),
    contentBaseUrl: () => urls.content,
    downloadUrlTtlMs: () => options.downloadUrlTtlMs,
    recordViolation: (req, reason) =>
      log.recordViolation({ time: new Date().toISOString(), role: req.role, method: req.method, path: loggablePath(req.path), reason }),
  };
  const library = createSimLibrary({ seed: options.seed, assets: options.assets, sharedAssets: options.sharedAssets, sizes: options.sizes, now });
  handlers.auth = (req, res) => handleAuthRequest(req, res, core);
  handlers.setup = createSetupHandler(core);
  handlers.web = (_req, res) => sendHtml(res, 200, '<!DOCTYPE html><html><body>iCloud (simulated)</body></html>');
  handlers.ckdatabase = createCloudKitHandler(library, ctx);
  handlers.content = createContentHandler(library, ctx);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const role = roleOf(req);
    const entry: RequestLogEntry = { time: new Date().toISOString(), role: role ?? 'unknown', method: req.method ?? 'GET', path: loggablePath(req.url), status: 0 };
    res.once('close', () => {
      entry.status = res.statusCode;
      if (!res.writableFinished) entry.aborted = true;
      log.record(entry);
    });
    try {
      if (!role) {
        sendJson(res, 421, { error: 'Misdirected Request: unknown simulator host name' });
        return;
      }
      const url = new URL(req.url ?? '/', 'http://sim.test');
      const body = await readBody(req);
      const fault = await faults.applyBefore(res, role);
      if (fault) {
        entry.fault = fault;
        return;
      }
      const simReq = { role, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, cookies: parseCookieHeader(req.headers.cookie), body, raw: req };
      if ((role === 'setup' || role === 'ckdatabase') && simReq.headers.origin !== urls.webOrigin) {
        // The iCloud.com page always sends its Origin to setup and CloudKit (spec 3.1, 4.1); Apple's
        // answer without one is not recorded, so this refusal is simulator-defined.
        sendJson(res, 403, { error: 'SIM_MISSING_ORIGIN', reason: `Origin must be ${urls.webOrigin}` });
        return;
      }
      if (countsAgainstSession(simReq)) web.countRequest(simReq.cookies);
      const handler = handlers[role];
      if (handler) await handler(simReq, res);
      // Only between listen() and the end of startSimulator (a fixed --port can be hit that early).
      else sendJson(res, 503, { error: 'simulator starting' });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { error: 'simulator error', detail: (err as Error).message });
      else res.destroy();
    }
  }

  let acknowledgedViolations = 0;
  registerViolationSource(() => log.violations().slice(acknowledgedViolations));

  return {
    port,
    urls,
    hosts: SIM_HOSTS,
    account: { appleId: options.account.appleId, password: options.account.password, dsid: core.account.dsid },
    code: core.account.code,
    deliveredCodes: () => [...deliveries],
    library,
    setConditions: (p) => core.setConditions(p),
    setFaults: (p, onlyRoles) => faults.set(p, onlyRoles),
    expireWebSessions: () => {
      web.expireAll();
      core.auth.expireSessionTokens();
    },
    expireTrust: () => core.auth.expireTrust(),
    expireDownloadUrls: () => expireDownloadUrls(library),
    requestLog: () => log.requests(),
    violations: () => log.violations(),
    acknowledgeViolations: () => {
      acknowledgedViolations = log.violations().length;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await log.close();
    },
  };
}
