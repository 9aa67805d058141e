import type { Logger } from '../logger.js';
import type { CloudKitRecord } from './responses/record-schema.js';

/** A record iCloud refused to hand out, as the listing saw it. */
export interface RecordProblem {
  zoneName: string;
  recordName: string;
  /** Apple's per-record serverErrorCode, e.g. ACCESS_DENIED. */
  code: string;
  reason: string | null;
}

/** What a listing could not deliver. */
export interface ListingProblems {
  /**
   * Why the listing missed photos that a later attempt should get (a transient per-record error, a
   * master that could not be fetched): while not empty the change-feed position must not move on.
   */
  incomplete: string[];
  /** Records refused for good (a revoked shared photo): skipped, reported, never holding the position back. */
  needsAttention: RecordProblem[];
}

/**
 * Per-record codes that another attempt will not change (spec 4.6: ACCESS_DENIED on a revoked shared
 * asset; NOT_FOUND for a record that is gone). Anything else, e.g. RETRY_LATER, TRY_AGAIN_LATER,
 * THROTTLED, INTERNAL_ERROR or a code we have never seen, counts as transient: the listing is then
 * incomplete, which only costs a retry.
 */
const PERMANENT_CODES = new Set(['ACCESS_DENIED', 'NOT_FOUND']);

/** Collects a listing's problems and says each one in the log (record names only: no personal data). */
export class ProblemLog {
  private readonly incomplete: string[] = [];
  private readonly refused = new Map<string, RecordProblem>();

  constructor(private readonly logger: Logger) {}

  /** A record that came back with its own serverErrorCode even after being fetched again. */
  recordFailed(zoneName: string, record: CloudKitRecord): void {
    const code = record.serverErrorCode ?? 'MISSING';
    if (PERMANENT_CODES.has(code)) {
      this.logger.warn({ zone: zoneName, recordName: record.recordName, serverErrorCode: code }, 'iCloud refuses a record; skipping it (needs attention)');
      this.refuse({ zoneName, recordName: record.recordName, code, reason: record.reason ?? null });
    } else {
      this.missed(`iCloud could not serve record ${record.recordName} in zone ${zoneName} (${code})`);
    }
  }

  missed(reason: string): void {
    this.logger.warn({ reason }, 'the listing is incomplete; the next run tries again');
    this.incomplete.push(reason);
  }

  /** Takes in what another read of the same run could not deliver (the change feed replaying a listing). */
  absorb(problems: ListingProblems): void {
    this.incomplete.push(...problems.incomplete);
    for (const problem of problems.needsAttention) this.refuse(problem);
  }

  private refuse(problem: RecordProblem): void {
    this.refused.set(`${problem.zoneName}\u0000${problem.recordName}`, problem);
  }

  result(): ListingProblems {
    return { incomplete: [...this.incomplete], needsAttention: [...this.refused.values()] };
  }
}

export function isPermanentRecordError(record: CloudKitRecord): boolean {
  return record.serverErrorCode !== undefined && PERMANENT_CODES.has(record.serverErrorCode);
}

export const noProblems = (): ListingProblems => ({ incomplete: [], needsAttention: [] });
