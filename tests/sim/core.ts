import type { SimConditions } from './types.js';
import type { CodeDelivery, SimulatorOptions } from './options.js';
import type { SimAccount } from './sim-account.js';
import type { AuthStore } from './auth/auth-store.js';
import type { WebSessionStore } from './setup/web-sessions.js';

export interface SimUrls {
  auth: string;
  setup: string;
  webOrigin: string;
  ckdatabase: string;
  content: string;
}

/** The state the auth and setup routes share; built once per simulator by server.ts. */
export interface SimCore {
  options: SimulatorOptions;
  account: SimAccount;
  auth: AuthStore;
  web: WebSessionStore;
  urls: SimUrls;
  conditions(): SimConditions;
  /** Account state the flows themselves change (a successful repair/complete clears `repair`). */
  setConditions(partial: Partial<SimConditions>): void;
  now(): number;
  deliverCode(delivery: Omit<CodeDelivery, 'at'>): void;
}
