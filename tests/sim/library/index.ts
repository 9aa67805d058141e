export { createSimLibrary } from './library.js';
export { ROOT_FOLDER_ID, PROJECT_ROOT_FOLDER_ID } from './albums.js';
export { SPECIAL_FILENAMES } from './names.js';
export { DEFAULT_SIZES } from './resources.js';
export type * from './types.js';
