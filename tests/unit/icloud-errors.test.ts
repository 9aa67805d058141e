import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../src-main/icloud/backoff.js';
import { classifyCloudKitAnswer } from '../../src-main/icloud/cloudkit-errors.js';
import { ICloudError } from '../../src-main/icloud/errors.js';
import type { HttpAnswer } from '../../src-main/icloud/http.js';
import { retryAfterDate } from '../../src-main/icloud/http.js';
import { realStatus, signInError } from '../../src-main/icloud/auth/answer-errors.js';

const answer = (status: number, json?: unknown, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers,
  text: json === undefined ? '' : JSON.stringify(json),
  json,
});

describe('ICloudError', () => {
  it('carries the code, the user message and the extras', () => {
    const retryAfter = new Date('2030-01-01T00:00:00Z');
    const error = new ICloudError('THROTTLED', { retryAfter, detail: 'signin/init answered 503' });
    expect(error.code).toBe('THROTTLED');
    expect(error.userMessage).toContain('Try again after 2030-01-01T00:00:00.000Z');
    expect(error.message).toContain('signin/init answered 503');
    expect(new ICloudError('WRONG_CODE', { attemptsLeft: 1 }).userMessage).toMatch(/1 try left/);
  });
});

describe('sign-in answers', () => {
  it('treats X-Apple-I-Rscd on a 200 as the real status', () => {
    expect(realStatus(answer(200, {}, { 'x-apple-i-rscd': '401' }))).toBe(401);
    expect(signInError(answer(200, {}, { 'x-apple-i-rscd': '401' }), 'signin/complete').code).toBe('WRONG_PASSWORD');
  });

  it('does not blame the password for a 401 at init or a 403', () => {
    expect(signInError(answer(401, {}), 'signin/init').code).toBe('APPLE_SERVER_ERROR');
    expect(signInError(answer(403, {}), 'signin/complete').code).toBe('THROTTLED');
  });

  it('spots a locked account whatever the status', () => {
    expect(signInError(answer(400, { serviceErrors: [{ code: '-20209' }] }), 'signin/complete').code).toBe('ACCOUNT_LOCKED');
  });
});

describe('retry policy', () => {
  const policy = { retries: 2, baseMs: 100, capMs: 150, jitterMs: 10, maxWaitMs: 1_000 };

  it('backs off exponentially with a cap and stops after the allowed retries', () => {
    const first = retryDelay(policy, 0)!;
    expect(first).toBeGreaterThanOrEqual(100);
    expect(first).toBeLessThan(110);
    expect(retryDelay(policy, 1)).toBeLessThan(160);
    expect(retryDelay(policy, 2)).toBeUndefined();
  });

  it('honours Retry-After, and gives up when it asks for too long', () => {
    const now = Date.now();
    expect(retryDelay(policy, 0, new Date(now + 800), now)).toBe(800);
    expect(retryDelay(policy, 0, new Date(now + 5_000), now)).toBeUndefined();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterDate({ 'retry-after': '30' }, 1_000)?.getTime()).toBe(31_000);
    expect(retryAfterDate({ 'retry-after': 'Wed, 21 Oct 2037 07:28:00 GMT' })?.toISOString()).toBe('2037-10-21T07:28:00.000Z');
    expect(retryAfterDate({})).toBeUndefined();
  });
});

describe('CloudKit answers (spec 6)', () => {
  it('maps account conditions to the user errors', () => {
    const denied = answer(403, { serverErrorCode: 'ACCESS_DENIED', reason: 'private db access disabled for this account' });
    expect(classifyCloudKitAnswer(denied, false)).toMatchObject({ kind: 'fail', error: { code: 'WEB_ACCESS_DISABLED' } });
    expect(classifyCloudKitAnswer(denied, true)).toMatchObject({ kind: 'fail', error: { code: 'ADP_APPROVAL_NEEDED' } });
    expect(classifyCloudKitAnswer(answer(200, { serverErrorCode: 'ZONE_NOT_FOUND' }), false)).toMatchObject({
      kind: 'fail',
      error: { code: 'ICLOUD_NOT_READY' },
    });
  });

  it('re-authenticates on an ended web session', () => {
    for (const status of [401, 421, 450]) expect(classifyCloudKitAnswer(answer(status, {}), false).kind).toBe('reauth');
    const missing = answer(200, { reason: 'Missing X-APPLE-WEBAUTH-TOKEN cookie', error: 1 });
    expect(classifyCloudKitAnswer(missing, false).kind).toBe('reauth');
  });

  it('retries throttling and server errors, and passes good answers through', () => {
    expect(classifyCloudKitAnswer(answer(503, undefined, { 'retry-after': '2' }), false)).toMatchObject({ kind: 'throttled' });
    expect(classifyCloudKitAnswer(answer(200, { serverErrorCode: 'RETRY_LATER' }), false).kind).toBe('throttled');
    expect(classifyCloudKitAnswer(answer(502), false).kind).toBe('server-error');
    expect(classifyCloudKitAnswer(answer(200, { zones: [] }), false)).toEqual({ kind: 'ok', json: { zones: [] } });
  });
});
