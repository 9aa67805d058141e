/**
 * `secret set|clear|list`: API keys of optional features, kept in the data folder's 0600
 * secrets.json (see config/secrets-store.ts). `set` asks without echo on a terminal, or reads one
 * line of stdin, so the value never appears in the shell history or the process list.
 */
import type { Command } from 'commander';
import { SecretsStore, checkSecretName, secretEnvName } from '../../config/secrets-store.js';
import { UserError } from '../../config/user-error.js';
import { buildContext } from '../context.js';
import { formatTable } from '../output.js';
import { closeInput, promptHidden, readLine, stdinIsTerminal } from '../terminal-input.js';

export function registerSecretCommand(program: Command): void {
  const secret = program.command('secret').description('store or clear an API key of an optional feature (kept in a private file)');
  secret
    .command('set')
    .argument('<name>', 'the secret, e.g. pushover-token')
    .description('store a secret: asked without echo on a terminal, else one line read from stdin')
    .action(async (name: string, _options: unknown, command: Command) => {
      const context = buildContext(command, 'secret');
      const store = new SecretsStore(context.paths.root);
      checkSecretName(name);
      let value: string | null;
      if (stdinIsTerminal()) value = await promptHidden(`Value for ${name}: `);
      else {
        value = await readLine();
        closeInput();
      }
      if (value === null) throw new UserError('CONFIG_INVALID', `No value for "${name}" was given on stdin: nothing was saved.`);
      store.set(name, value);
      context.logger.info({ name, file: store.path }, 'secret saved');
      if (process.env[secretEnvName(name)]) {
        context.logger.warn(`${secretEnvName(name)} is set in the environment and wins over the saved value.`);
      }
    });
  secret
    .command('clear')
    .argument('<name>', 'the secret to remove')
    .description('remove a stored secret')
    .action((name: string, _options: unknown, command: Command) => {
      const context = buildContext(command, 'secret');
      const store = new SecretsStore(context.paths.root);
      if (!store.clear(name)) throw new UserError('CONFIG_INVALID', `No secret "${name}" is stored in ${store.path}.`);
      context.logger.info({ name }, 'secret removed');
    });
  secret
    .command('list')
    .description('names of the stored secrets and where each comes from (never the values)')
    .action((_options: unknown, command: Command) => {
      const context = buildContext(command, 'secret');
      const store = new SecretsStore(context.paths.root);
      const rows = store.names().map((name) => ({ name, source: store.sourceOf(name), envName: secretEnvName(name) }));
      context.print(formatTable({ columns: [{ key: 'name', title: 'Name' }, { key: 'source', title: 'Used from' }, { key: 'envName', title: 'Environment variable' }], rows }, context.format));
    });
}
