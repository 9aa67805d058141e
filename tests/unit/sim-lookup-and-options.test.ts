import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { simLookup } from '../sim/lookup.js';
import { parseConditionSpec, parseFaultSpec, resolveOptions } from '../sim/options.js';

describe('simLookup', () => {
  it('answers 127.0.0.1 for *.test hosts in both callback forms', async () => {
    const one = await new Promise((resolve, reject) =>
      simLookup('p42-ckdatabasews.icloud.test', {}, (err, address, family) => (err ? reject(err) : resolve([address, family]))),
    );
    expect(one).toEqual(['127.0.0.1', 4]);
    const all = await new Promise((resolve, reject) =>
      simLookup('idmsa.apple.test', { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
    );
    expect(all).toEqual([{ address: '127.0.0.1', family: 4 }]);
    const plain = await new Promise((resolve) => simLookup('www.icloud.test', (_err, address) => resolve(address)));
    expect(plain).toBe('127.0.0.1');
  });

  it('refuses every other host name', async () => {
    const lookup = promisify((host: string, cb: (err: NodeJS.ErrnoException | null) => void) => simLookup(host, {}, cb));
    await expect(lookup('idmsa.apple.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(lookup('test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(lookup('evil.test.example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('simulator options', () => {
  it('parses a --faults spec and rejects unknown or negative values', () => {
    expect(parseFaultSpec('errorRate=0.1, resetRate=0.05,slowMs=20')).toEqual({ errorRate: 0.1, resetRate: 0.05, slowMs: 20 });
    expect(parseFaultSpec('slowMs=40,jitterMs=10')).toEqual({ slowMs: 40, jitterMs: 10 });
    expect(() => parseFaultSpec('explode=1')).toThrow(/bad fault/);
    expect(() => parseFaultSpec('errorRate=-1')).toThrow(/bad fault/);
    expect(() => parseFaultSpec('errorRate')).toThrow(/bad fault/);
  });

  it('parses a --conditions spec and rejects unknown names and bad values', () => {
    expect(parseConditionSpec('adp, repair=verify,rateLimited,throttled=120,statusInRscd')).toEqual({
      adp: true,
      repair: 'verify',
      rateLimited: { retryAfterSeconds: 60 },
      throttled: { retryAfterSeconds: 120 },
      statusInRscd: true,
    });
    expect(parseConditionSpec('throttled')).toEqual({ throttled: {} });
    expect(() => parseConditionSpec('repair=later')).toThrow(/bad condition/);
    expect(() => parseConditionSpec('adp=1')).toThrow(/bad condition/);
    expect(() => parseConditionSpec('rateLimited=-3')).toThrow(/bad condition/);
    expect(() => parseConditionSpec('explode')).toThrow(/bad condition/);
  });

  it('defaults to a 30-day trust and a device-2FA account', () => {
    const options = resolveOptions({ account: { appleId: 'a@b.test', password: 'p', protocol: 's2k_fo', iterations: 1000 } });
    expect(options.trustTtlMs).toBe(30 * 24 * 3600 * 1000);
    expect(options.mfa).toBe('device');
    expect(options.account.protocol).toBe('s2k_fo');
  });
});
