import type { CloudKitDatabase, CloudKitTransport } from '../src-main/icloud/photos/cloudkit-transport.js';

export interface RecordedPost {
  database: CloudKitDatabase;
  path: string;
  body: string;
}

/** Passes calls through to the real transport and keeps each request, so a baseline can replay them. */
export class RecordingTransport implements CloudKitTransport {
  readonly posts: RecordedPost[] = [];

  constructor(private readonly inner: CloudKitTransport) {}

  post(database: CloudKitDatabase, path: string, body: unknown): Promise<unknown> {
    this.posts.push({ database, path, body: JSON.stringify(body) });
    return this.inner.post(database, path, body);
  }
}
