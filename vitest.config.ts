import { defineConfig } from 'vitest/config';

/**
 * Tests by tier, each a vitest project (`npx vitest --project unit`):
 * - unit: no process at all (no moto, no browser, no emulator, no esbuild): seconds;
 * - aws: the AWS semantics on moto_server (412 on conditional writes, SQS redelivery, DLQs);
 * - clients: real readers (newsboat, feedparser, xmllint), headless Chromium, SpamAssassin;
 * - e2e: the local stack (emulators, the site server, npm start);
 * - infra: the synthesized template, cfn-lint, the bundles, the layering rule.
 */
const MOTO = ['./test/support/moto-global-setup.ts'];
const tier = (name: string, globalSetup: string[] = []) => ({ extends: true as const, test: { name, include: [`test/${name}/**/*.test.ts`], globalSetup } });

export default defineConfig({
  test: {
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser and emulator suites start real processes; two workers match the two cores here.
    maxWorkers: 2,
    // Lambdas run Node 22; the SDK's notice about the Node 20 used for local tooling is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // One moto_server for each tier that needs AWS semantics.
    projects: [tier('unit'), tier('aws', MOTO), tier('clients'), tier('e2e', MOTO), tier('infra')],
  },
});
