import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeLogging, configureLogging, createLogger, setConsoleSink } from '../../src-main/log/logger.js';
import { REDACTED, redactValue, registerSecret, scrubText } from '../../src-main/log/redact.js';
import { ERROR_CATALOGUE } from '../../src-shared/errors.js';

const SECRETS = {
  password: 'Tr0ub4dor&3-horse',
  code: '482915',
  sessionToken: 'AAAABLwIAAAAAGXqZ29vZ2xlLmNvbS9zZXNzaW9uLXRva2VuLXZhbHVlMTIz',
  trustToken: 'HSARMTKNSRVXWFlaVGhpc0lzQVRydXN0VG9rZW5WYWx1ZTQ1Ng==',
  scnt: 'AAAA-0RCNjA5QkY0QkQ0MEQ2RjU1NjlBMjk4MEQ0MjI=',
  cookie: 'v=2:t=AQAAAABnU0xJ2xcR8YKq9fXw3gM7Zk2LmQpRsTuVwXyZ',
  srpA: 'kZbn0Lq3x8R2YfVpW7cT1mNsHgJdE5aUoI4eKrB6zC9lQwPvXyM0a1S2d3F4g5H6',
};

let dir: string;
let consoleText = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ips-log-'));
  consoleText = '';
  setConsoleSink((text) => {
    consoleText += text;
  });
});
afterEach(() => {
  setConsoleSink(null);
  closeLogging();
  rmSync(dir, { recursive: true, force: true });
});

describe('log redaction', () => {
  it('keeps every kind of secret out of file and console lines, at trace level', () => {
    const log = createLogger('icloud.auth'); // created before configuration, as module-level loggers are
    const { logFile } = configureLogging({ logsDir: dir, level: 'trace', console: { level: 'trace' } });
    registerSecret(SECRETS.password);
    registerSecret(SECRETS.code);

    log.debug({ password: SECRETS.password, a: SECRETS.srpA, m1: 'deadbeef', trustTokens: [SECRETS.trustToken] }, 'signin/complete');
    log.debug({ headers: { scnt: SECRETS.scnt, 'X-Apple-Session-Token': SECRETS.sessionToken, 'set-cookie': [`X-APPLE-WEBAUTH-TOKEN="${SECRETS.cookie}"; Domain=.icloud.test`] } }, 'response');
    log.info({ securityCode: { code: SECRETS.code } }, `verifying code ${SECRETS.code}`);
    log.info(`user typed ${SECRETS.password} by mistake; header Cookie: X-APPLE-WEBAUTH-TOKEN="${SECRETS.cookie}"`);
    log.warn({ err: new Error(`request failed: dsWebAuthToken=${SECRETS.sessionToken}`) }, 'accountLogin failed');
    log.error(new Error(`bad trust token ${SECRETS.trustToken}`));
    log.child({ session: { token: SECRETS.sessionToken } }).trace({ url: `https://x.test/p?token=${SECRETS.scnt}&e=1` }, 'child line');

    const fileText = readFileSync(logFile ?? '', 'utf8');
    expect(fileText.trim().split('\n')).toHaveLength(7);
    expect(consoleText.trim().split('\n')).toHaveLength(7);
    for (const text of [fileText, consoleText]) {
      for (const [name, secret] of Object.entries(SECRETS)) expect(text, name).not.toContain(secret);
      expect(text).toContain(REDACTED);
      expect(text).toContain('signin/complete'); // the useful part survives
    }
    for (const line of fileText.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('redacts a verification code under "code" but keeps error codes', () => {
    expect(redactValue({ code: '012345', body: { code: 48291 } })).toEqual({ code: REDACTED, body: { code: REDACTED } });
    expect(redactValue({ code: 'PROTOCOL_CHANGED', errno: { code: 'ENOTFOUND' } })).toEqual({ code: 'PROTOCOL_CHANGED', errno: { code: 'ENOTFOUND' } });
  });

  it('leaves ordinary values alone', () => {
    const ordinary = {
      path: '/home/jane/Pictures/iCloud Photos/2024/01/31/IMG_0001.HEIC',
      assetId: 'AY6c+BsE0jjaXx9tmVGJM1D2VcEO',
      zone: 'SharedSync-3F2C9A1E-5B7D-11EF-8C2A-0242AC120002',
      files: 1234567,
      message: 'downloaded 60 files (12 MB) in 3 s, exit code 3',
    };
    expect(redactValue(ordinary)).toEqual(ordinary);
  });

  it('redacts short registered secrets only as whole words, keeping timestamps intact', () => {
    registerSecret('739201');
    expect(scrubText('"time":1739201000123,"msg":"code 739201"')).toBe(`"time":1739201000123,"msg":"code ${REDACTED}"`);
  });
});

describe('log redaction keeps plain words', () => {
  it('prints every catalogue message through the logger exactly as written', () => {
    const { logFile } = configureLogging({ logsDir: dir, level: 'info', console: { level: 'info', withTime: false } });
    const log = createLogger('cli');
    const messages = Object.entries(ERROR_CATALOGUE);
    for (const [code, message] of messages) log.warn({ code }, message);
    const fileLines = readFileSync(logFile ?? '', 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { msg: string; code: string });
    const consoleLines = consoleText.trim().split('\n');
    expect(fileLines).toHaveLength(messages.length);
    messages.forEach(([code, message], i) => {
      expect(fileLines[i], code).toMatchObject({ code, msg: message });
      expect(consoleLines[i], code).toBe(`WARN  cli: ${message} (code=${code})`);
    });
  });

  it('redacts the value after "password:" only in key-value form, not the next word of a sentence', () => {
    expect(scrubText('use your normal password: enter that instead')).toBe('use your normal password: enter that instead');
    expect(scrubText('{"password":"hunter22"} password=hunter22')).toBe(`{"password":"${REDACTED}"} password=${REDACTED}`);
    expect(scrubText('{\\"token\\":\\"abc123\\"}')).toBe(`{\\"token\\":\\"${REDACTED}\\"}`);
  });
});
