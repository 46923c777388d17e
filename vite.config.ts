import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The app (app/) is built into dist/, which the relay serves. Tests: vitest.config.ts.
 *
 * vite-plugin-pwa 1.3 (it accepts Vite 8; 2.0 would too, but 1.3 is the line the rest of this
 * version set was tried with) writes the manifest and a workbox service worker that precaches
 * the app shell and the stream worker's bundle. The relay's live routes are never cached.
 * registerType "prompt": a new version waits for the rider's "Reload" instead of swapping
 * under a ride.
 */
export default defineConfig({
  root: 'app',
  publicDir: '../public',
  plugins: [
    svelte(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        id: '/',
        name: 'cycarla',
        short_name: 'cycarla',
        description: 'Ride a bike through a driving simulator',
        start_url: '/',
        scope: '/',
        display: 'fullscreen',
        display_override: ['fullscreen', 'standalone'],
        orientation: 'landscape',
        background_color: '#101418',
        theme_color: '#101418',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        // The relay's own routes: live data, never from a cache.
        navigateFallbackDenylist: [/^\/carla/, /^\/api\//, /^\/healthz/, /^\/metrics/, /^\/tablet/, /^\/cycarla-ca\.crt/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
});
