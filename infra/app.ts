import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.ts';
import { PaperboyStack } from './paperboy-stack.ts';

const app = new App();
const config = readConfig((key) => app.node.tryGetContext(key));
new PaperboyStack(app, app.node.tryGetContext('paperboy:stackName') ?? 'Paperboy', {
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
