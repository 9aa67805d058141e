// `node --import ./module-log-register.mjs …`: logs the modules a process loads (module-log-hooks.mjs).
import { register } from 'node:module';

register('./module-log-hooks.mjs', import.meta.url);
