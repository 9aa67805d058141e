import { randomBytes, randomUUID } from 'node:crypto';
import type { SrpServerExchange } from '../srp-server.js';

/** One idmsa sign-in conversation, from signin/init to 2sv/trust. */
export interface Conversation {
  sessionId: string;
  scnt: string;
  /** Newest X-Apple-Session-Token; the client may echo it as X-Apple-ID-Session-Id (spec 1.2). */
  sessionToken?: string;
  passwordVerified: boolean;
  /** Two-factor done in this conversation, or skipped thanks to a valid trust token. */
  secondFactorDone: boolean;
  trusted: boolean;
  /** When the trust behind `trusted` ends (from 2sv/trust or the trust token used at sign-in). */
  trustExpiresAt?: number;
  deliveries: Array<{ channel: 'device' | 'sms'; phoneId?: number }>;
  wrongCodes: number;
  codeLocked: boolean;
  /** Apple answered 412: the session token opens no web session until repair/complete. */
  repairPending: boolean;
}

interface Challenge {
  exchange: SrpServerExchange;
  accountName: string;
  conversation: Conversation;
  expiresAt: number;
}

/** What a session token proves when it is handed to accountLogin: a snapshot at issue time. */
export interface SessionTokenGrant {
  secondFactorDone: boolean;
  trusted: boolean;
  trustExpiresAt?: number;
  repairPending: boolean;
  expiresAt: number;
}

const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export function opaqueToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** All idmsa state: SRP challenges (`c`), conversations, session tokens and trust tokens. */
export class AuthStore {
  private readonly challenges = new Map<string, Challenge>();
  private readonly conversations = new Map<string, Conversation>();
  private readonly sessionTokens = new Map<string, SessionTokenGrant>();
  private readonly trustTokens = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  newConversation(): Conversation {
    const conversation: Conversation = {
      sessionId: opaqueToken('', 32),
      scnt: opaqueToken('AAAA-', 48),
      passwordVerified: false,
      secondFactorDone: false,
      trusted: false,
      deliveries: [],
      wrongCodes: 0,
      codeLocked: false,
      repairPending: false,
    };
    this.conversations.set(conversation.sessionId, conversation);
    return conversation;
  }

  /** Rotates the conversation id (Apple hands out a new one at signin/complete). */
  rotateSessionId(conversation: Conversation): void {
    this.conversations.delete(conversation.sessionId);
    conversation.sessionId = opaqueToken('', 32);
    this.conversations.set(conversation.sessionId, conversation);
  }

  /** Finds a conversation by X-Apple-ID-Session-Id (session id or newest session token) and exact scnt. */
  findConversation(sessionIdHeader: string, scnt: string): Conversation | undefined {
    let found = this.conversations.get(sessionIdHeader);
    if (!found) {
      for (const c of this.conversations.values()) if (c.sessionToken === sessionIdHeader) found = c;
    }
    return found && found.scnt === scnt ? found : undefined;
  }

  addChallenge(exchange: SrpServerExchange, accountName: string, conversation: Conversation): string {
    const c = `d-0a1-${randomUUID()}:PRN`;
    this.challenges.set(c, { exchange, accountName, conversation, expiresAt: this.now() + CHALLENGE_TTL_MS });
    return c;
  }

  /** A `c` works once: taking it removes it, so a replay is refused. */
  takeChallenge(c: string): Challenge | undefined {
    const challenge = this.challenges.get(c);
    this.challenges.delete(c);
    return challenge && challenge.expiresAt > this.now() ? challenge : undefined;
  }

  issueSessionToken(conversation: Conversation, lifetimeMs: number): string {
    const token = opaqueToken('AAAABLwIAAAAA', 96);
    conversation.sessionToken = token;
    this.sessionTokens.set(token, {
      secondFactorDone: conversation.secondFactorDone,
      trusted: conversation.trusted,
      trustExpiresAt: conversation.trustExpiresAt,
      repairPending: conversation.repairPending,
      expiresAt: this.now() + lifetimeMs,
    });
    return token;
  }

  sessionTokenGrant(token: string): SessionTokenGrant | undefined {
    const grant = this.sessionTokens.get(token);
    return grant && grant.expiresAt > this.now() ? grant : undefined;
  }

  expireSessionTokens(): void {
    this.sessionTokens.clear();
  }

  issueTrustToken(lifetimeMs: number): { token: string; expiresAt: number } {
    const token = opaqueToken('HSARMTKNSRVXWFla', 96);
    const expiresAt = this.now() + lifetimeMs;
    this.trustTokens.set(token, expiresAt);
    return { token, expiresAt };
  }

  /** Expiry time of a still-valid trust token, else undefined. */
  trustTokenExpiry(token: string): number | undefined {
    const expiresAt = this.trustTokens.get(token);
    return expiresAt !== undefined && expiresAt > this.now() ? expiresAt : undefined;
  }

  expireTrust(): void {
    this.trustTokens.clear();
  }
}
