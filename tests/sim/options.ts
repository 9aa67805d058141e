import { NO_FAULTS, type FaultOptions, type SimConditions } from './types.js';
import type { SrpByteConvention, SrpProtocol } from './srp-math.js';
import type { SimSizes } from './library/index.js';

export type MfaMode = 'device' | 'sms' | 'none';
/** Where GET {auth} (JSON) lists the phones: both places (default), top level only, or nested only. */
export type PhoneListLayout = 'both' | 'flat' | 'nested';

export interface SimAccountOptions {
  appleId: string;
  password: string;
  protocol: SrpProtocol;
  iterations: number;
  /** The account's SRP salt in hex (16 bytes seen at Apple); by default derived from the seed. */
  saltHex?: string;
  /** How a leading zero byte in the salt or H(":"|p) is hashed (srp-math.ts); default `raw`. */
  srpConvention?: SrpByteConvention;
}

export interface CodeDelivery {
  channel: 'device' | 'sms';
  /** Trusted phone id for sms deliveries. */
  phoneId?: number;
  at: number;
}

export interface SimulatorOptions {
  /** 0 = any free port. The server listens on 127.0.0.1 only. */
  port: number;
  seed: number;
  assets: number;
  sharedAssets: number;
  /** Resource sizes of the generated library (see library/resources.ts DEFAULT_SIZES). */
  sizes?: Partial<SimSizes>;
  mfa: MfaMode;
  account: SimAccountOptions;
  trustTtlMs: number;
  /** Lifetime of a web session (and of the idmsa session tokens that open one). */
  sessionTtlMs: number;
  /** A web session serves this many setup/CloudKit requests, then answers 421/401 (0 = no limit). */
  sessionMaxRequests: number;
  downloadUrlTtlMs: number;
  conditions: Partial<SimConditions>;
  faults: Partial<FaultOptions>;
  /** Append one JSON line per request (and per violation) to this file. */
  logPath?: string;
  authOptionsPhoneLayout: PhoneListLayout;
  /** Wrong codes accepted before code entry locks for the rest of the sign-in. */
  maxCodeAttempts: number;
  /** Called whenever the simulator "sends" a code (the CLI prints it). */
  onCodeDelivered?: (delivery: CodeDelivery) => void;
  /** Serve HTTPS with this PEM key and certificate (naming every simulated host) instead of HTTP. */
  tls?: { key: string; cert: string };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_CONDITIONS: SimConditions = {
  webAccessDisabled: false,
  adp: false,
  throttled: false,
  locked: false,
  indexing: false,
  repair: false,
  securityKeys: false,
  legacyTwoStep: false,
  rateLimited: false,
  statusInRscd: false,
  chinaAccount: false,
  termsUpdateNeeded: false,
};

export function resolveOptions(partial: Partial<SimulatorOptions> = {}): SimulatorOptions {
  return {
    port: partial.port ?? 0,
    seed: partial.seed ?? 1,
    assets: partial.assets ?? 50,
    sharedAssets: partial.sharedAssets ?? 0,
    sizes: partial.sizes,
    mfa: partial.mfa ?? 'device',
    account: {
      appleId: 'jane.appleseed@example.test',
      password: 'Simulated-Passw0rd',
      protocol: 's2k',
      iterations: 20064,
      ...partial.account,
    },
    trustTtlMs: partial.trustTtlMs ?? 30 * DAY_MS,
    sessionTtlMs: partial.sessionTtlMs ?? 2 * 60 * 60 * 1000,
    sessionMaxRequests: partial.sessionMaxRequests ?? 0,
    downloadUrlTtlMs: partial.downloadUrlTtlMs ?? 60 * 60 * 1000,
    conditions: partial.conditions ?? {},
    faults: partial.faults ?? {},
    logPath: partial.logPath,
    authOptionsPhoneLayout: partial.authOptionsPhoneLayout ?? 'both',
    maxCodeAttempts: partial.maxCodeAttempts ?? 5,
    onCodeDelivered: partial.onCodeDelivered,
    tls: partial.tls,
  };
}

/** Parses `errorRate=0.1,resetRate=0.05,slowMs=20` (the CLI's --faults) into FaultOptions. */
export function parseFaultSpec(spec: string): Partial<FaultOptions> {
  const faults: Partial<FaultOptions> = {};
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, raw] = item.split('=');
    const value = Number(raw);
    if (!key || !(key in NO_FAULTS) || raw === undefined || !Number.isFinite(value) || value < 0) {
      throw new Error(`bad fault "${item}": use name=number with a name from ${Object.keys(NO_FAULTS).join(', ')}`);
    }
    faults[key as keyof FaultOptions] = value;
  }
  return faults;
}

const BOOLEAN_CONDITIONS = ['webAccessDisabled', 'adp', 'locked', 'indexing', 'securityKeys', 'legacyTwoStep', 'statusInRscd', 'chinaAccount', 'termsUpdateNeeded'] as const;
const REPAIR_STEPS = ['signin', 'verify', 'fails'] as const;

/**
 * Parses the CLI's --conditions, e.g. `adp,repair=signin,rateLimited=30,throttled=120`: a flag name
 * alone switches it on; throttled/rateLimited take an optional Retry-After in seconds.
 */
export function parseConditionSpec(spec: string): Partial<SimConditions> {
  const conditions: Partial<SimConditions> = {};
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key = '', raw] = item.split('=');
    const seconds = raw === undefined ? undefined : Number(raw);
    const badSeconds = seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 0);
    if ((BOOLEAN_CONDITIONS as readonly string[]).includes(key) && raw === undefined) {
      conditions[key as (typeof BOOLEAN_CONDITIONS)[number]] = true;
    } else if (key === 'repair' && (REPAIR_STEPS as readonly string[]).includes(raw ?? '')) {
      conditions.repair = raw as (typeof REPAIR_STEPS)[number];
    } else if (key === 'throttled' && !badSeconds) {
      conditions.throttled = seconds === undefined ? {} : { retryAfterSeconds: seconds };
    } else if (key === 'rateLimited' && !badSeconds) {
      conditions.rateLimited = { retryAfterSeconds: seconds ?? 60 };
    } else {
      throw new Error(
        `bad condition "${item}": use ${BOOLEAN_CONDITIONS.join(', ')}, repair=${REPAIR_STEPS.join('|')}, throttled[=seconds] or rateLimited[=seconds]`,
      );
    }
  }
  return conditions;
}
