/**
 * Keeps secrets out of logs, in three layers: values under secret-sounding keys are replaced,
 * strings that look like secrets (cookies, bearer tokens, long token-like runs) are scrubbed, and
 * values registered at run time (the password, a 2FA code) are removed wherever they appear.
 */
export const REDACTED = '[REDACTED]';

/** Keys whose values are always secret, compared lower-case without "-" and "_". */
const SECRET_KEYS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'token', 'cookie', 'cookies', 'setcookie', 'scnt', 'session',
  'sessionid', 'securitycode', 'verificationcode', 'm1', 'm2', 'a', 'b', 'c', 'salt', 'k', 'x', 'u',
  'trusttoken', 'trusttokens', 'dswebauthtoken', 'sessiontoken', 'authorization', 'proxyauthorization',
  'secret', 'privatekey', 'verifier', 'aasp', 'grantcode', 'authattributes', 'pcscookies',
]);
/** Key fragments that make any key secret (e.g. x-apple-twosv-trust-token). */
const SECRET_KEY_PARTS = ['password', 'token', 'cookie', 'secret', 'authorization', 'sessionid', 'webauth'];

/**
 * "code" names both verification codes (secret) and error codes (wanted in logs): under that key
 * only values that look like a verification code (digits only) are redacted.
 */
const CODE_KEYS = new Set(['code', 'otp', 'pin']);
const VERIFICATION_CODE = /^\s*\d{4,10}\s*$/;

function isSecretValue(key: string, value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (isSecretKey(key)) return true;
  return CODE_KEYS.has(key.toLowerCase()) && (typeof value === 'string' || typeof value === 'number') && VERIFICATION_CODE.test(String(value));
}

export function isSecretKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEYS.has(normalised) || SECRET_KEY_PARTS.some((part) => normalised.includes(part));
}

const registered = new Set<string>();

/** Marks a value as secret for the rest of the process: it is removed from every later log line. */
export function registerSecret(value: string | null | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PATTERNS: Array<[RegExp, string]> = [
  // Apple's web-session and sign-in cookies, in Cookie / Set-Cookie text.
  [/\b(X[-_]APPLE[-_][A-Za-z0-9_-]*|aasp|acn01)=("[^"]*"|[^;\s,"\\]+)/gi, `$1=${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  // key=value, or "key":"value" as JSON (also escaped inside a string), for keys that are
  // unambiguous. Not "key: value": in a sentence ("your password: enter it") that is prose.
  [/\b(password|passwd|token|cookie|scnt|secret|trustToken|dsWebAuthToken)(\s*=\s*\\?"?|\\?"\s*:\s*\\?"?)(?!\[REDACTED)[^\s,;&"\\]+/gi, `$1$2${REDACTED}`],
  // Query parameters that carry credentials.
  [/([?&](?:token|sig|signature|session|sessionid|auth|key|dsWebAuthToken)=)[^&\s"\\]+/gi, `$1${REDACTED}`],
];
/** Long runs of token alphabet mixing upper, lower and digits: session and trust tokens, SRP values. */
const TOKEN_RUN = /[A-Za-z0-9+=_-]{32,}/g;
const HEX_RUN = /\b[0-9a-fA-F]{48,}\b/g;

/** Zone names like SharedSync-<UUID> are ids, not credentials. */
const HOLDS_UUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/;

function looksLikeToken(run: string): boolean {
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run) && !HOLDS_UUID.test(run);
}

/** Scrubs one string (a message, a value, or a whole serialised log line). */
export function scrubText(text: string): string {
  let out = text;
  for (const secret of registered) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      // Short secrets (2FA codes) only as whole words, so timestamps and counts survive.
      const pattern = form.length < 8 ? new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(form)}(?![A-Za-z0-9])`, 'g') : null;
      out = pattern ? out.replace(pattern, REDACTED) : out.split(form).join(REDACTED);
    }
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  out = out.replace(TOKEN_RUN, (run) => (looksLikeToken(run) ? REDACTED : run));
  return out.replace(HEX_RUN, REDACTED);
}

/** A deep copy of `value` with secret keys replaced and strings scrubbed. Errors keep name, message, code. */
export function redactValue(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 8) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      type: value.name,
      message: scrubText(value.message),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      ...(value.stack ? { stack: scrubText(value.stack) } : {}),
    };
  }
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen, depth + 1));
  if (value instanceof Map) return redactValue(Object.fromEntries(value), seen, depth + 1);
  if (value instanceof URL) return scrubText(value.href);
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSecretValue(key, inner) ? REDACTED : redactValue(inner, seen, depth + 1);
  }
  return out;
}
