/**
 * Reading from the person at the terminal (hidden password, visible code) or, when stdin is not a
 * terminal, one line at a time from stdin so scripts can drive `auth`.
 */
import { createInterface, type Interface } from 'node:readline';

export function stdinIsTerminal(): boolean {
  return Boolean(process.stdin.isTTY);
}

/** Asks on the terminal without echoing what is typed. */
export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  return new Promise((resolve, reject) => {
    output.write(question);
    let typed = '';
    const finish = (error?: Error) => {
      input.setRawMode?.(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(Object.assign(new Error('interrupted'), { code: 'INTERRUPTED' }));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    input.setRawMode?.(true);
    input.resume();
    input.on('data', onData);
  });
}

let lines: Interface | null = null;
let iterator: AsyncIterator<string> | null = null;

/** The next line of stdin (terminal or not), or null at end of input. */
export async function readLine(question?: string): Promise<string | null> {
  if (question) process.stderr.write(question);
  if (!lines) {
    lines = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
    iterator = lines[Symbol.asyncIterator]();
  }
  const next = await (iterator as AsyncIterator<string>).next();
  return next.done ? null : next.value;
}

/** Releases stdin so the process can exit. */
export function closeInput(): void {
  lines?.close();
  lines = null;
  iterator = null;
}
