import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, readConfig } from './config.ts';
import { PLACEHOLDER_HELP, placeholderProblems } from './preflight/placeholders.ts';
import { PaperboyStack } from './paperboy-stack.ts';

const app = new App();
const context = (key: string) => app.node.tryGetContext(key) as unknown;
// A deploy of the sample's example.org values would fail late (SES) or silently (no digest): refuse now.
const placeholders = placeholderProblems(context);
// A configuration the operator must fix is said in its own words, without a stack trace under it.
function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}
if (placeholders.length && String(context('paperboy:allowPlaceholders')) !== 'true') {
  refuse(`Paperboy will not deploy placeholder values:\n${placeholders.map((p) => `  - ${p}`).join('\n')}\n${PLACEHOLDER_HELP}`);
}
let config: ReturnType<typeof readConfig>;
try {
  config = readConfig(context);
} catch (err) {
  if (err instanceof ConfigError) refuse(err.message);
  throw err;
}
new PaperboyStack(app, app.node.tryGetContext('paperboy:stackName') ?? 'Paperboy', {
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
