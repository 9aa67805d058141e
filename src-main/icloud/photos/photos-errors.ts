import { ICloudError } from '../errors.js';

/** The few ways the Photos code fails on its own (the transport raises the HTTP-level ones). */

export function protocolChanged(detail: string): ICloudError {
  return new ICloudError('PROTOCOL_CHANGED', { detail });
}

export function notReady(detail: string): ICloudError {
  return new ICloudError('ICLOUD_NOT_READY', { detail });
}

export function serverError(detail: string, status?: number): ICloudError {
  return new ICloudError('APPLE_SERVER_ERROR', { detail, cause: status ? { name: 'HTTPError', status } : undefined });
}

/** A got/network error reduced to its name and code: got errors carry request headers. */
export function networkError(detail: string, error: unknown): ICloudError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  const name = error instanceof Error ? error.name : 'Error';
  return new ICloudError('NETWORK', { detail, cause: { name, code } });
}
