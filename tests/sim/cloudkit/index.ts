export { createCloudKitHandler } from './handler.js';
export { MAX_PAGE_RECORDS } from './paging.js';
