import { defineConfig } from 'vitest/config';

const ignored = ['**/node_modules/**', '.stack/**'];

// unit: pure tests next to the code (`src/**/foo.test.ts`), no servers.
// integration: `test/**` of each component, against the real local stack (`.stack/env`), one file at a time.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['**/src/**/*.test.ts'], exclude: ignored } },
      {
        test: {
          name: 'integration',
          include: ['**/test/**/*.test.ts'],
          exclude: ignored,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
