import { readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CookieJar, type SerializedCookieJar } from 'tough-cookie';
import { z } from 'zod';
import { accountFileStem, sameAppleId } from '../../config/account-key.js';
import type { Logger } from '../logger.js';
import { ensurePrivateFolder, writeFileAtomic } from './atomic-write.js';
import type { SessionData } from './session-state.js';
import { trustExpiryFromCookies } from './trust-expiry.js';
import { parseJsonOrUndefined } from '../json.js';

/** Default folder; the desktop app and the CLI pass the configured data folder's `sessions/`. */
export function defaultSessionFolder(): string {
  return join(homedir(), '.icloud_photo_sync', 'sessions');
}

/**
 * The stem earlier builds named session files with (lower case, punctuation removed, as the Python
 * clients do), so `jane.doe@x` and `janedoe@x` shared files. Only read to move such files over.
 */
function legacyStem(appleId: string): string {
  return appleId.toLowerCase().replace(/\W/g, '');
}

const sessionFileSchema = z.object({
  version: z.literal(1),
  account_name: z.string(),
  client_id: z.string().min(1),
  session_id: z.string().optional(),
  session_token: z.string().optional(),
  scnt: z.string().optional(),
  account_country: z.string().optional(),
  trust_token: z.string().optional(),
  trust_eligible: z.boolean().optional(),
  dsid: z.string().optional(),
  ckdatabasews_url: z.string().optional(),
  adp: z.boolean().optional(),
  pcs_required: z.boolean().optional(),
  srp_convention: z.enum(['raw', 'stripped']).optional(),
});

const cookieFileSchema = z.looseObject({ cookies: z.array(z.looseObject({ key: z.string().optional() })) });

export interface LoadedSession {
  data: SessionData;
  jar: CookieJar;
}

/**
 * The session of one Apple ID on disk: `<stem>.session.json` (ids and tokens, never the password)
 * and `<stem>.cookies.json` (the whole jar, domains and expiries kept, so cookies still reach the
 * pNN-ckdatabasews host after a restart), named by accountFileStem(). Folder 0700, files 0600,
 * written atomically.
 */
export class SessionStore {
  readonly sessionPath: string;
  readonly cookiePath: string;

  constructor(
    readonly folder: string,
    private readonly accountName: string,
    private readonly logger: Logger,
  ) {
    const stem = accountFileStem(accountName);
    this.sessionPath = join(folder, `${stem}.session.json`);
    this.cookiePath = join(folder, `${stem}.cookies.json`);
  }

  /** The stored session, cleaned of expired parts; undefined (files removed) when nothing usable is left. */
  async load(now = Date.now()): Promise<LoadedSession | undefined> {
    await this.adoptLegacyFiles();
    const [sessionText, cookieText] = await Promise.all([readOptional(this.sessionPath), readOptional(this.cookiePath)]);
    if (sessionText === undefined) return undefined;
    const session = sessionFileSchema.safeParse(parseJsonOrUndefined(sessionText));
    const cookies = cookieFileSchema.safeParse(parseJsonOrUndefined(cookieText ?? '{"cookies":[]}'));
    if (!session.success || !cookies.success || !sameAppleId(session.data.account_name, this.accountName)) {
      await this.discard('the stored session files are unreadable or belong to another account');
      return undefined;
    }
    const serialized = cookies.data as unknown as SerializedCookieJar;
    const live = serialized.cookies.filter((cookie) => !isExpired(cookie.expires, now));
    if (live.length < serialized.cookies.length) {
      this.logger.info({ removed: serialized.cookies.length - live.length }, 'dropped expired cookies from the stored session');
    }
    const data = fromFile(session.data);
    const trustEnds = trustExpiryFromCookies(serialized);
    if (data.trustToken && trustEnds && trustEnds.getTime() <= now) {
      this.logger.info({ trustExpiredAt: trustEnds.toISOString() }, 'stored trust has expired: the next sign-in needs a code');
      delete data.trustToken;
    }
    if (!data.sessionToken && !data.trustToken && live.length === 0) {
      await this.discard('the stored session has expired completely');
      return undefined;
    }
    const jar = await CookieJar.deserialize({ ...serialized, cookies: live });
    return { data, jar };
  }

  async save(data: SessionData, jar: CookieJar): Promise<void> {
    await ensurePrivateFolder(this.folder);
    const file: z.infer<typeof sessionFileSchema> = {
      version: 1,
      account_name: this.accountName,
      client_id: data.clientId,
      session_id: data.sessionId,
      session_token: data.sessionToken,
      scnt: data.scnt,
      account_country: data.accountCountry,
      trust_token: data.trustToken,
      trust_eligible: data.trustEligible,
      dsid: data.dsid,
      ckdatabasews_url: data.ckdatabasewsUrl,
      adp: data.adp,
      pcs_required: data.pcsRequired,
      srp_convention: data.srpConvention,
    };
    await writeFileAtomic(this.cookiePath, JSON.stringify(await jar.serialize()));
    await writeFileAtomic(this.sessionPath, JSON.stringify(file));
  }

  /** When the trust ends, from the saved cookies (see trust-expiry.ts for which cookie and why). */
  async trustExpiresAt(): Promise<Date | undefined> {
    const parsed = cookieFileSchema.safeParse(parseJsonOrUndefined((await readOptional(this.cookiePath)) ?? ''));
    return parsed.success ? trustExpiryFromCookies(parsed.data as unknown as SerializedCookieJar) : undefined;
  }

  async delete(): Promise<void> {
    await Promise.all([rm(this.sessionPath, { force: true }), rm(this.cookiePath, { force: true })]);
  }

  /**
   * Moves this account's session files from an earlier build's name to today's. Files under the old
   * name that belong to another account (one differing only in punctuation) are left to that account.
   */
  private async adoptLegacyFiles(): Promise<void> {
    const stem = legacyStem(this.accountName);
    const legacy = { session: join(this.folder, `${stem}.session.json`), cookies: join(this.folder, `${stem}.cookies.json`) };
    if (legacy.session === this.sessionPath || (await readOptional(this.sessionPath)) !== undefined) return;
    const text = await readOptional(legacy.session);
    if (text === undefined) return;
    const owner = sessionFileSchema.safeParse(parseJsonOrUndefined(text));
    if (!owner.success || !sameAppleId(owner.data.account_name, this.accountName)) return;
    // Cookies first: a session file is what load() looks for, so it moves last.
    if ((await readOptional(legacy.cookies)) !== undefined) await rename(legacy.cookies, this.cookiePath);
    await rename(legacy.session, this.sessionPath);
    this.logger.info({}, 'moved the stored session to its new file names');
  }

  private async discard(reason: string): Promise<void> {
    this.logger.info({ reason }, 'removing the stored session');
    await this.delete();
  }
}

function fromFile(file: z.infer<typeof sessionFileSchema>): SessionData {
  const data: SessionData = { clientId: file.client_id };
  if (file.session_id) data.sessionId = file.session_id;
  if (file.session_token) data.sessionToken = file.session_token;
  if (file.scnt) data.scnt = file.scnt;
  if (file.account_country) data.accountCountry = file.account_country;
  if (file.trust_token) data.trustToken = file.trust_token;
  if (file.trust_eligible !== undefined) data.trustEligible = file.trust_eligible;
  if (file.dsid) data.dsid = file.dsid;
  if (file.ckdatabasews_url) data.ckdatabasewsUrl = file.ckdatabasews_url;
  if (file.adp !== undefined) data.adp = file.adp;
  if (file.pcs_required !== undefined) data.pcsRequired = file.pcs_required;
  if (file.srp_convention) data.srpConvention = file.srp_convention;
  return data;
}

function isExpired(expires: unknown, now: number): boolean {
  if (typeof expires !== 'string' || expires === 'Infinity') return false;
  const time = Date.parse(expires);
  return Number.isFinite(time) && time <= now;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
