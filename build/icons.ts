/**
 * The one icon script. Renders every icon the installers and the tray need from SVG drawn here or in
 * build/icon.svg, with resvg (the same pixels on every OS), and packs Windows ICO files itself (an ICO
 * is a small directory in front of PNG images).
 *
 *   npm run icons                          app icons: build/icons/<N>x<N>.png, build/icon.ico, build/icon.png
 *   npm run icons -- --check               exit 1 if a committed app icon differs from what the source renders
 *   npm run icons -- --tray states.json --out <dir>
 *                                          tray icons for the states listed (see TrayIconState)
 */
import { Resvg } from '@resvg/resvg-js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_DIR = path.dirname(fileURLToPath(import.meta.url));

/** Linux hicolor sizes (the .deb installs each; AppImage takes the largest). */
export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;
/** Windows shell sizes: taskbar, title bar, Explorer views up to "extra large", the installer. */
export const WINDOWS_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** Size of build/icon.png, which the running app loads for its window. */
export const WINDOW_ICON_SIZE = 256;
/** Tray sizes: 16 px at 100 % scaling, 24 and 32 px for 150 % and 200 % (and GNOME/KDE panels). */
export const TRAY_ICON_SIZES = [16, 24, 32] as const;

export function renderPng(svg: string, size: number): Buffer {
  const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render();
  if (rendered.width !== size || rendered.height !== size) {
    throw new Error(`The icon source must be square: rendering at ${size} px gave ${rendered.width}x${rendered.height}`);
  }
  return rendered.asPng();
}

/** An ICO file holding PNG images (supported since Windows Vista), largest last. */
export function encodeIco(images: ReadonlyArray<{ size: number; png: Buffer }>): Buffer {
  const headerSize = 6;
  const entrySize = 16;
  const header = Buffer.alloc(headerSize + entrySize * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = headerSize + entrySize * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3); // reserved
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

function icoFrom(svg: string, sizes: readonly number[]): Buffer {
  return encodeIco(sizes.map((size) => ({ size, png: renderPng(svg, size) })));
}

/** Every app icon file, by path relative to build/, rendered from build/icon.svg. */
export function renderAppIcons(svg = readFileSync(path.join(BUILD_DIR, 'icon.svg'), 'utf8')): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const size of LINUX_ICON_SIZES) files.set(`icons/${size}x${size}.png`, renderPng(svg, size));
  files.set('icon.ico', icoFrom(svg, WINDOWS_ICO_SIZES));
  files.set('icon.png', renderPng(svg, WINDOW_ICON_SIZE));
  return files;
}

/**
 * One tray state: its file name and, except for the plain state, the colour of the badge drawn at the
 * bottom right of the cloud (a state must be told apart by more than colour: give it a glyph too).
 */
export interface TrayIconState {
  name: string;
  badge?: { color: string; glyph?: 'dot' | 'pause' | 'exclamation' | 'arrows' | 'dash' | 'ring' };
}

/** `light` is for light panels (a dark glyph), `dark` for dark panels (a white glyph). */
export type TrayVariant = 'light' | 'dark';

const CLOUD_GLYPH = 'M7 25 a6.5 6.5 0 0 1 1.5-12.8 a9 9 0 0 1 17-1.6 a7.4 7.4 0 0 1 2.5 14.4 z';

function badgeGlyph(glyph: NonNullable<TrayIconState['badge']>['glyph'], ink: string): string {
  switch (glyph) {
    case 'pause':
      return `<rect x="22.2" y="21" width="2.2" height="8" fill="${ink}"/><rect x="26.6" y="21" width="2.2" height="8" fill="${ink}"/>`;
    case 'exclamation':
      return `<rect x="24.4" y="20.5" width="2.2" height="5.5" fill="${ink}"/><rect x="24.4" y="27.2" width="2.2" height="2.2" fill="${ink}"/>`;
    case 'arrows':
      return `<path d="M21.5 25 a4 4 0 0 1 7-2.6 M29.5 25 a4 4 0 0 1 -7 2.6" fill="none" stroke="${ink}" stroke-width="1.8"/>`;
    case 'dash':
      return `<rect x="21.5" y="23.9" width="8" height="2.2" fill="${ink}"/>`;
    case 'ring':
      return `<circle cx="25.5" cy="25" r="2.6" fill="none" stroke="${ink}" stroke-width="1.8"/>`;
    default:
      return '';
  }
}

export function trayIconSvg(state: TrayIconState, variant: TrayVariant): string {
  const ink = variant === 'light' ? '#202124' : '#ffffff';
  if (!state.badge) {
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32"><path d="${CLOUD_GLYPH}" fill="${ink}"/></svg>`;
  }
  // A transparent ring cut out of the cloud keeps the badge readable at 16 px on any panel colour.
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">` +
    `<defs><mask id="cut"><rect width="32" height="32" fill="#fff"/><circle cx="25.5" cy="25" r="7.5" fill="#000"/></mask></defs>` +
    `<path d="${CLOUD_GLYPH}" fill="${ink}" mask="url(#cut)"/>` +
    `<circle cx="25.5" cy="25" r="6" fill="${state.badge.color}"/>` +
    badgeGlyph(state.badge.glyph, '#ffffff') +
    `</svg>`
  );
}

/** Tray icon files by name: `<state>-<variant>-<size>.png` for Linux, `<state>-<variant>.ico` for Windows. */
export function renderTrayIcons(states: readonly TrayIconState[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const state of states) {
    if (!/^[a-z0-9-]+$/.test(state.name)) throw new Error(`Tray state name "${state.name}" must be lower-case letters, digits and dashes`);
    for (const variant of ['light', 'dark'] as const) {
      const svg = trayIconSvg(state, variant);
      for (const size of TRAY_ICON_SIZES) files.set(`${state.name}-${variant}-${size}.png`, renderPng(svg, size));
      files.set(`${state.name}-${variant}.ico`, icoFrom(svg, TRAY_ICON_SIZES));
    }
  }
  return files;
}

export function writeFiles(outDir: string, files: Map<string, Buffer>): void {
  for (const [name, bytes] of files) {
    mkdirSync(path.dirname(path.join(outDir, name)), { recursive: true });
    writeFileSync(path.join(outDir, name), bytes);
  }
}

/** Names of the committed app icons that differ from (or are missing next to) what the source renders. */
export function staleAppIcons(buildDir = BUILD_DIR): string[] {
  const stale: string[] = [];
  for (const [name, bytes] of renderAppIcons(readFileSync(path.join(buildDir, 'icon.svg'), 'utf8'))) {
    const file = path.join(buildDir, name);
    if (!existsSync(file) || !readFileSync(file).equals(bytes)) stale.push(name);
  }
  return stale;
}

function main(args: string[]): void {
  if (args[0] === '--check') {
    const stale = staleAppIcons();
    if (stale.length > 0) {
      console.error(`These icons are out of date with build/icon.svg: ${stale.join(', ')}. Run \`npm run icons\`.`);
      process.exit(1);
    }
    console.log('icons: up to date');
    return;
  }
  if (args[0] === '--tray') {
    const outIndex = args.indexOf('--out');
    const specFile = args[1];
    const outDir = outIndex > 0 ? args[outIndex + 1] : undefined;
    if (!specFile || !outDir) throw new Error('Usage: icons.ts --tray <states.json> --out <dir>');
    const files = renderTrayIcons(JSON.parse(readFileSync(specFile, 'utf8')) as TrayIconState[]);
    writeFiles(outDir, files);
    console.log(`icons: wrote ${files.size} tray icon files to ${outDir}`);
    return;
  }
  const files = renderAppIcons();
  writeFiles(BUILD_DIR, files);
  console.log(`icons: wrote ${[...files.keys()].join(', ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
