import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One moto_server for the run: the AWS semantics (412 on conditional writes, SQS redelivery) tests rely on.
    globalSetup: ['./test/support/moto-global-setup.ts'],
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser and emulator suites start real processes; two workers match the two cores here.
    maxWorkers: 2,
    // Lambdas run Node 22; the SDK's notice about the Node 20 used for local tooling is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
