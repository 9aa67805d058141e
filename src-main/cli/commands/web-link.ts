/** `web-link`: prints the running local page's link (with its token) from the data folder, whether the daemon or the tray app serves it. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../config/user-error.js';
import { linkFilePath } from '../../web/link-file.js';
import { buildContext } from '../context.js';

export function registerWebLinkCommand(program: Command): void {
  program
    .command('web-link')
    .description("print the local web page's link (a secret: it opens the page) while 'daemon --web' runs")
    .action((_options: unknown, command: Command) => {
      const context = buildContext(command, 'web-link');
      const path = linkFilePath(context.paths.root);
      let link: string;
      try {
        link = readFileSync(path, 'utf8').trim();
      } catch {
        throw new UserError('CONFIG_INVALID', 'The local web page is not running. Start it with: icloud-photo-sync daemon --web (in the desktop app: Settings › This computer › "Keep the local web page on").');
      }
      context.print(context.format === 'json' ? `${JSON.stringify({ link })}\n` : `${link}\n`);
    });
}
