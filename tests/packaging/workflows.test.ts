import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './offline-build.js';

const require = createRequire(import.meta.url);
const VALIDATOR = path.join(path.dirname(require.resolve('@action-validator/cli/package.json')), 'cli.mjs');

interface Step {
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string[];
  'continue-on-error'?: boolean;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

function readWorkflow(name: string): Workflow {
  return parse(readFileSync(path.join(REPO_ROOT, '.github/workflows', name), 'utf8')) as Workflow;
}

function runLines(job: Job): string[] {
  return job.steps.flatMap((step) => (step.run ?? '').split('\n').map((line) => line.trim())).filter(Boolean);
}

/** @action-validator/cli: validates against GitHub's workflow schema, bundled in its WebAssembly (no network). */
function validate(file: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('GitHub workflows', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'ips-workflows-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(['ci.yml', 'release.yml'])('%s passes the workflow validator', (name) => {
    const result = validate(path.join(REPO_ROOT, '.github/workflows', name));
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('the validator refuses a broken workflow (so a pass means something)', () => {
    const broken = path.join(scratch, 'ci.yml');
    writeFileSync(broken, readFileSync(path.join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8').replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04'));
    const result = validate(broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('runs_on');
  });

  it('CI runs on push and pull request, both jobs through the same npm script as .ci/run', () => {
    const ci = readWorkflow('ci.yml');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    const ciRun = readFileSync(path.join(REPO_ROOT, '.ci/run'), 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter((line) => line.startsWith('npm '));
    expect(ciRun).toEqual(['npm ci', 'npm run verify']);
    for (const job of [ci.jobs.linux!, ci.jobs.windows!]) {
      expect(runLines(job).filter((line) => line.startsWith('npm '))).toEqual(ciRun);
    }
    const verify = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.verify;
    expect(verify).toBe('npm run lint && npm run typecheck && npm run build && node dist/node/src-main/cli/main.js --version && npm test');
    // The README tells contributors the same command.
    expect(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).toContain('npm run verify');
  });

  it('the Windows job uses Playwright\'s own Chromium and says it is not yet verified, without failing the workflow', () => {
    const windows = readWorkflow('ci.yml').jobs.windows!;
    expect(windows.name).toMatch(/not yet verified/);
    expect(windows['continue-on-error']).toBe(true);
    expect(runLines(windows)).toContain('npx playwright-core install --no-shell chromium');
  });

  it('a v* tag builds the .deb and AppImage on Linux and the installer on Windows, publishes them with SHA-256 sums, then WinGet manifests', () => {
    const release = readWorkflow('release.yml');
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    const { linux, windows, publish, winget } = release.jobs;
    expect(runLines(linux!)).toContain('npx electron-builder --linux deb AppImage --x64 --publish never');
    expect(runLines(windows!)).toContain('npx electron-builder --win nsis --x64 --publish never');
    expect(publish!.needs).toEqual(['linux', 'windows']);
    const publishLines = runLines(publish!).join('\n');
    expect(publishLines).toContain('sha256sum -- * > SHA256SUMS');
    expect(publishLines).toMatch(/gh release create "\$GITHUB_REF_NAME" packages\/\*/);
    expect(winget!.needs).toEqual(['publish']);
    const wingetLines = runLines(winget!).join('\n');
    expect(wingetLines).toContain('npx tsx build/winget/fill-manifests.ts --installer "$installer" --url "$url" --version "$version" --out winget');
    expect(wingetLines).toContain('wingetcreate.exe submit --token $env:WINGET_TOKEN');
    // The installer name the manifests expect is the one electron-builder.yml gives it.
    expect(wingetLines).toContain('installer/icloud-photo-sync-setup-${version}.exe');
    // Never `npm install`/`install-app-deps` in a release: npm ci, then electron-builder's own rebuild.
    for (const job of Object.values(release.jobs)) expect(runLines(job).join('\n')).not.toMatch(/npm install|install-app-deps/);
  });
});
