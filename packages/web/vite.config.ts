/**
 * The console build. The server sends `Content-Security-Policy: default-src 'self'` without
 * 'unsafe-inline', so the output must not need inline scripts or styles: no module-preload
 * polyfill (it would be inlined), no assets inlined as data: URLs beyond images.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev -w packages/web` next to a running platform on :8080
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
