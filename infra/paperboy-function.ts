import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LAMBDA_PAGEFIND_BINARY, pagefindBinaryFor } from './pagefind-binary.ts';
import { ALTCHA_FILES, altchaDistDir } from '../functions/app/publish/altcha-assets.ts';
import type { EnvName } from '../functions/commons/lambda-env.ts';

/** Where the Publish bundle keeps the ALTCHA widget's files (copied there after bundling). */
const LAMBDA_ALTCHA_DIR = '/var/task/altcha';

const ROOT = join(import.meta.dirname, '..');

/**
 * Bundling shared by every handler and by scripts/build-lambdas.ts, so the artefact the tests import
 * is built the way `cdk deploy` builds it: ESM, Node 22, the AWS SDK bundled in (a known version),
 * and a `require` for the CommonJS packages inside (mjml, nodemailer).
 */
export const ESBUILD_OPTIONS = {
  format: 'esm' as const,
  platform: 'node' as const,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  banner: "import { createRequire as __pbCreateRequire } from 'module'; const require = __pbCreateRequire(import.meta.url);",
  // cosmiconfig (inside mjml's minifier) imports TypeScript lazily to read .ts config files, which
  // never happens here; bundled, it was 3.5 MB of the sender's 7.1 MB.
  external: ['typescript'],
};

export interface HandlerSpec {
  /** File under functions/handlers/, without extension. */
  readonly name: string;
  readonly description: string;
  readonly memoryMB?: number;
  readonly timeout?: Duration;
  /** Bundle Pagefind's Linux binary for the function's architecture (the Publish function's search index). */
  readonly pagefind?: boolean;
  /** Bundle the ALTCHA widget's files, which the publisher puts on the site for the subscribe form. */
  readonly altcha?: boolean;
}

/** Files copied beside the bundle after esbuild: what a handler reads from disk at run time. */
function afterBundlingCommands(spec: HandlerSpec, output: string): string[] {
  const commands: string[] = [];
  // The bundle holds pagefind's JavaScript; the binary it starts sits beside it.
  if (spec.pagefind) commands.push(`cp "${pagefindBinaryFor('arm64')}" "${output}/pagefind_extended"`, `chmod 755 "${output}/pagefind_extended"`);
  if (spec.altcha) {
    commands.push(`mkdir -p "${output}/altcha"`);
    for (const [name, file] of Object.entries(ALTCHA_FILES)) commands.push(`cp "${join(altchaDistDir(), file)}" "${output}/altcha/${name}"`);
  }
  return commands;
}

/** One construct that carries the defaults: Node.js 22 on ARM64, ESM bundle, log retention, tracing. */
export class PaperboyFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, spec: HandlerSpec, props: Partial<NodejsFunctionProps> = {}) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    super(scope, id, {
      entry: join(ROOT, 'functions', 'handlers', `${spec.name}.ts`),
      handler: 'handler',
      description: spec.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMB ?? 512,
      timeout: spec.timeout ?? Duration.seconds(60),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: ESBUILD_OPTIONS.target,
        mainFields: ESBUILD_OPTIONS.mainFields,
        minify: ESBUILD_OPTIONS.minify,
        sourceMap: ESBUILD_OPTIONS.sourcemap,
        banner: ESBUILD_OPTIONS.banner,
        externalModules: ESBUILD_OPTIONS.external,
        // esbuild from node_modules, never Docker.
        forceDockerBundling: false,
        ...(spec.pagefind || spec.altcha
          ? { commandHooks: { beforeBundling: () => [], beforeInstall: () => [], afterBundling: (_input: string, output: string) => afterBundlingCommands(spec, output) } }
          : {}),
      },
      environment: lambdaEnvironment(spec),
      ...props,
    });
  }
}

/** What every function gets, by the environment contract's names (the bundled binary and widget where the spec has them). */
function lambdaEnvironment(spec: { readonly pagefind?: boolean; readonly altcha?: boolean }): Partial<Record<EnvName, string>> {
  return {
    NODE_OPTIONS: '--enable-source-maps',
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    ...(spec.pagefind ? { PAGEFIND_EXTENDED_BINARY_PATH: LAMBDA_PAGEFIND_BINARY } : {}),
    ...(spec.altcha ? { ALTCHA_ASSETS_DIR: LAMBDA_ALTCHA_DIR } : {}),
  };
}
