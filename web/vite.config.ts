/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Nest app serves web/dist at `/` and the API under `/api` on the same
// origin, so the build uses base `/` and relative `/api/...` calls.
export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    // The label table is shared with the server (../workflows/labels.ts).
    fs: { allow: ['..'] },
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Long-lived vendor chunks cache across releases; each page stays its own chunk.
        codeSplitting: {
          groups: [
            { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/ },
            { name: 'vendor-antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|dayjs|@babel)[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    // Only the app's own stylesheet, which a test reads raw (the charts' font is the page's font).
    css: { include: [/styles\.css/] },
  },
});
