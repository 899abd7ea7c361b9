// Builds the dashboard (src/web) into dist/web, which `evident serve` serves at `/`.
// The chart library is split into its own chunk, loaded only by pages that draw a chart.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  base: '/',
  plugins: [react()],
  // `npm run dev:web`: hot reload, with the API of a running `evident serve` (EVIDENT_API, default :8080)
  server: { proxy: { '/api': process.env.EVIDENT_API ?? 'http://127.0.0.1:8080' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
});
