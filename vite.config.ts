/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `vite build` bundles the renderer; `vite build --mode preload` bundles the Electron preload as one
// CommonJS file, because sandboxed preload scripts cannot load ES modules.
export default defineConfig(({ mode }) =>
  mode === 'preload'
    ? {
        // Sandboxed preloads may only require electron: bundle everything else in.
        ssr: { noExternal: true },
        build: {
          outDir: 'dist/preload',
          emptyOutDir: true,
          ssr: 'src-main/shell/preload.ts',
          rollupOptions: { external: ['electron'], output: { format: 'cjs', entryFileNames: 'preload.cjs' } },
        },
      }
    : {
        root: 'src-renderer',
        base: './',
        plugins: [react()],
        build: { outDir: '../dist/renderer', emptyOutDir: true },
        test: {
          root: '.',
          include: ['tests/**/*.test.ts'],
          reporters: ['default', './tests/support/plain-summary-reporter.ts'],
          setupFiles: ['./tests/support/no-icloud-changes.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
        },
      },
);
