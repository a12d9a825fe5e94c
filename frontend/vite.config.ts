/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API for `npm run dev` / `npm run preview`: `flowmap serve` (make run) on :8000 unless FLOWMAP_API says otherwise.
const api = process.env.FLOWMAP_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  // Relative asset URLs: dist/ works wherever the server mounts it.
  base: './',
  plugins: [react()],
  server: { proxy: { '/graphql': api, '/healthz': api } },
  preview: { proxy: { '/graphql': api, '/healthz': api } },
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
