export { createContentHandler } from './handler.js';
export { downloadUrl, checkDownloadUrl, PHOTOS_CONTAINER } from './signed-url.js';
export { parseRange } from './byte-range.js';
