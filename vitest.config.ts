import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Child processes (containers, the CLI) are easier to clean up from forks than from threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The AWS SDK warns on every Node 20 process it starts in; the tests start many.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] },
      },
      {
        // Against LocalStack, which test/e2e/localstack.setup.ts starts (host mode) and stops.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/localstack.setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // One LocalStack, one mock config file: the e2e files run one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
