import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeFolder, nativeBindingFor, openSqlite, type BindingContext } from '../../src-main/tracker/sqlite.js';

const ROOT = path.resolve('/checkout');
const COPY = path.join(ROOT, '.electron-native', 'better-sqlite3-12.11.1-electron-45.4.1-linux-x64', 'better_sqlite3.node');

function context(overrides: Partial<BindingContext>): BindingContext {
  return { versions: { node: '20.20.2' }, platform: 'linux', arch: 'x64', projectRoot: ROOT, betterSqlite3Version: '12.11.1', exists: (file) => file === COPY, ...overrides };
}

describe('better-sqlite3 native module selection', () => {
  it('uses better-sqlite3\'s own (Node) build under Node, even when an Electron copy exists', () => {
    expect(nativeBindingFor(context({}))).toBeUndefined();
  });

  it('uses the Electron-ABI copy under Electron when npm start built it for these exact versions', () => {
    expect(nativeBindingFor(context({ versions: { node: '22.20.0', electron: '45.4.1' } }))).toBe(COPY);
    expect(electronNativeFolder(ROOT, { betterSqlite3: '12.11.1', electron: '45.4.1', platform: 'linux', arch: 'x64' })).toBe(path.dirname(COPY));
  });

  it('falls back to the default loading under Electron without a copy (the packaged app, rebuilt by electron-builder) or for another Electron or arch', () => {
    expect(nativeBindingFor(context({ versions: { electron: '46.0.0' } }))).toBeUndefined();
    expect(nativeBindingFor(context({ versions: { electron: '45.4.1' }, arch: 'arm64' }))).toBeUndefined();
    expect(nativeBindingFor(context({ versions: { electron: '45.4.1' }, exists: () => false }))).toBeUndefined();
  });

  it('opens a working database under Node through openSqlite', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sqlite-binding-'));
    try {
      const db = openSqlite(path.join(dir, 'x.db'));
      expect(db.prepare('select 40 + 2 as answer').get()).toEqual({ answer: 42 });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
