/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  // Relative base: the built site works from any sub-path (GitHub Pages, a lecture's folder).
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 120_000,
    // tfjs-core's gradient registry is only reachable through extensionless ESM deep
    // imports that Node's resolver rejects; let Vite transform tfjs instead.
    server: { deps: { inline: [/@tensorflow/] } },
  },
});
