/** The web console: a React single-page app built into dist/console and served by Peerlink at /console/. */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'src/console',
  base: '/console/',
  plugins: [react()],
  build: { outDir: '../../dist/console', emptyOutDir: true },
  // `vite` (dev) proxies the API to a running Peerlink, so the console stays same-origin
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
