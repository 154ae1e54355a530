import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          'dataset-worker': resolve(__dirname, 'electron/jobs/dataset-worker.ts'),
          'forecast-worker': resolve(__dirname, 'electron/jobs/forecast-worker.ts'),
          'backtest-worker': resolve(__dirname, 'electron/jobs/backtest-worker.ts'),
        },
      },
    },
  },
  preload: {
    // No externalized dependencies: a sandboxed preload can require only 'electron'.
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // Sandboxed renderers can only load a CommonJS preload script.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
