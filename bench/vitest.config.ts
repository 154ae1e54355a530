import { defineConfig } from 'vitest/config';

// The root vitest config covers the application only; run these with
// `npx vitest run -c bench/vitest.config.ts`.
export default defineConfig({
  test: {
    include: ['bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
