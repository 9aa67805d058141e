/**
 * How the Photos code reaches CloudKit. The session layer implements it: it adds the query
 * parameters and cookies, and re-authenticates once when the web session has expired. The Photos
 * code therefore never sees credentials.
 */
export type CloudKitDatabase = 'private' | 'shared';

export interface CloudKitTransport {
  /**
   * POST `body` as JSON to `{ckdatabasews}/database/1/com.apple.photos.cloud/production/{database}/{path}`
   * and return the parsed JSON answer. Throws a typed ICloudError for HTTP and body-level errors.
   */
  post(database: CloudKitDatabase, path: string, body: unknown): Promise<unknown>;
}
