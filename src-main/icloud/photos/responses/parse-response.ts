import { z } from 'zod';
import { protocolChanged } from '../photos-errors.js';

/**
 * Validates an answer from Apple. A shape we do not understand means Apple changed something, so it
 * becomes PROTOCOL_CHANGED with a detail naming the call and the first few problems (paths and
 * expectations only: values may be personal data and are never echoed).
 */
export function parseResponse<T extends z.ZodType>(schema: T, data: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
    .join('; ');
  throw protocolChanged(`Unexpected answer to ${what} (${problems}).`);
}
