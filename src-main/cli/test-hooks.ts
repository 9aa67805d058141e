/**
 * Test-only switches, read from the environment and deliberately absent from --help:
 *  - ICLOUD_PHOTO_SYNC_ENDPOINTS_JSON = {"auth":…,"setup":…,"webOrigin":…} points the client at a
 *    simulator instead of Apple.
 *  - ICLOUD_PHOTO_SYNC_SIM_HOSTS=1 resolves every *.test host name to 127.0.0.1 and refuses all
 *    other names, so a test run can never reach a real server.
 * Without them the product uses Apple's hosts and the system's DNS.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { z } from 'zod';
import { ENV_PREFIX } from '../config/settings.js';
import { UserError } from '../config/user-error.js';

export const ENDPOINTS_ENV = `${ENV_PREFIX}ENDPOINTS_JSON`;
export const SIM_HOSTS_ENV = `${ENV_PREFIX}SIM_HOSTS`;

const endpointsSchema = z.object({ auth: z.url(), setup: z.url(), webOrigin: z.url() }).partial().strict();
export type EndpointOverrides = z.infer<typeof endpointsSchema>;

export interface TestHooks {
  endpoints: EndpointOverrides;
  dnsLookup: LookupFunction | undefined;
}

export function readTestHooks(env: NodeJS.ProcessEnv = process.env): TestHooks {
  let endpoints: EndpointOverrides = {};
  const raw = env[ENDPOINTS_ENV];
  if (raw) {
    let parsed: ReturnType<typeof endpointsSchema.safeParse>;
    try {
      parsed = endpointsSchema.safeParse(JSON.parse(raw));
    } catch {
      parsed = endpointsSchema.safeParse(undefined);
    }
    if (!parsed.success) throw new UserError('CONFIG_INVALID', `${ENDPOINTS_ENV} must be JSON like {"auth":"http://…","setup":"http://…","webOrigin":"http://…"}.`);
    endpoints = parsed.data;
  }
  return { endpoints, dnsLookup: env[SIM_HOSTS_ENV] === '1' ? testHostLookup : undefined };
}

type Callback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that answers 127.0.0.1 for *.test names (RFC 6761) and refuses the rest. */
export const testHostLookup = ((hostname: string, options: unknown, callback?: Callback) => {
  const done = (typeof options === 'function' ? options : callback) as Callback;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
  if (!hostname.toLowerCase().replace(/\.$/, '').endsWith('.test')) {
    const error: NodeJS.ErrnoException = new Error(`test host lookup refuses ${hostname}`);
    error.code = 'ENOTFOUND';
    process.nextTick(() => done(error, all ? [] : ''));
    return;
  }
  // Resolve through the real resolver only for the loopback literal, so the answer has Node's own shape.
  dnsLookup('127.0.0.1', { family: 4, all }, done as never);
}) as LookupFunction;
