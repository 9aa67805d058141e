/**
 * Where the CLI's requests go. The installed `icloud-photo-sync` (main.ts) passes nothing: Apple's
 * hosts for the configured `region` (and `authHost`, https only), resolved by the system's DNS.
 * Nothing in the environment or the config file can point it elsewhere.
 *
 * Only a development entry point can, by handing a CliNetwork to run() in its own process: the one
 * under tests/ (`npm run cli:sim`) runs this same program against the simulator that way.
 */
import type { LookupFunction } from 'node:net';
import type { Command } from 'commander';
import type { EndpointOptions } from '../icloud/endpoints.js';

export interface CliNetwork {
  /** Base URLs used instead of Apple's (see icloud/endpoints.ts). */
  endpoints?: Pick<EndpointOptions, 'auth' | 'setup' | 'webOrigin'>;
  /** Resolves those URLs' host names, for the sign-in, CloudKit and the downloads alike. */
  dnsLookup?: LookupFunction;
}

const networks = new WeakMap<Command, CliNetwork>();

export function attachNetwork(program: Command, network: CliNetwork): void {
  networks.set(program, network);
}

/** The network of the program a (sub)command belongs to; Apple's by default. */
export function networkOf(command: Command): CliNetwork {
  let root = command;
  while (root.parent) root = root.parent;
  return networks.get(root) ?? {};
}
