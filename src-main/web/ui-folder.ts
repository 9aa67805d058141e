/**
 * Where the built UI is: ICLOUD_PHOTO_SYNC_UI_DIR when set (packagers, tests), else dist/renderer
 * of the installed package, found from this file upwards.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_PREFIX } from '../config/settings.js';
import { UserError } from '../config/user-error.js';

export const UI_DIR_ENV = `${ENV_PREFIX}UI_DIR`;

export function builtUiFolder(env: NodeJS.ProcessEnv = process.env, from = dirname(fileURLToPath(import.meta.url))): string {
  const given = env[UI_DIR_ENV];
  if (given) {
    if (existsSync(join(given, 'index.html'))) return resolve(given);
    throw new UserError('CONFIG_INVALID', `${UI_DIR_ENV} names ${given}, which holds no index.html of the built page.`);
  }
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'dist', 'renderer', 'index.html');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return dirname(candidate);
    if (dirname(dir) === dir) break;
  }
  throw new UserError('CONFIG_INVALID', 'The local web page is not built: run "npm run build" first (it writes dist/renderer).');
}
