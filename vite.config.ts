import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/** The app (app/) is built into dist/, which the relay serves. Tests: vitest.config.ts. */
export default defineConfig({
  root: 'app',
  publicDir: '../public',
  plugins: [svelte()],
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
});
