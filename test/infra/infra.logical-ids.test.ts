import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/config.ts';
import { PaperboyStack } from '../../infra/paperboy-stack.ts';

/**
 * Every resource's logical ID and type, as deployed stacks have them. CloudFormation replaces a
 * resource whose logical ID changes: a table or bucket "renamed" by a refactor is a new, empty one.
 * The list is checked in (test/fixtures/infra/logical-ids.json); a change that means to add or
 * remove a resource regenerates it with UPDATE_LOGICAL_IDS=1 and says why in its commit.
 */
const CONTEXT = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const FILE = join(import.meta.dirname, '..', 'fixtures', 'infra', 'logical-ids.json');

/** The default settings, and one with every optional part switched on. */
const VARIANTS: Record<string, Record<string, unknown>> = {
  default: {},
  everything: { 'paperboy:inboundUnsubscribe': true, 'paperboy:translate': 'amazon-translate', 'paperboy:alarmEmail': 'ops@example.org', 'paperboy:source': 'both', 'paperboy:arxivCategories': 'cs.CV', 'paperboy:siteDomain': 'digest.example.org', 'paperboy:certificateArn': 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
};

function logicalIds(extra: Record<string, unknown>): Record<string, string> {
  const app = new App({ context: { ...CONTEXT, ...extra, 'aws:cdk:bundling-stacks': [] } });
  const stack = new PaperboyStack(app, 'Paperboy', { config: readConfig((k) => app.node.tryGetContext(k)), env: { account: '123456789012', region: 'eu-west-1' } });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  return Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.Type]).sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1)));
}

describe('logical IDs', () => {
  const current = Object.fromEntries(Object.entries(VARIANTS).map(([name, extra]) => [name, logicalIds(extra)]));
  if (process.env.UPDATE_LOGICAL_IDS === '1') writeFileSync(FILE, `${JSON.stringify(current, null, 2)}\n`);
  const pinned = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, Record<string, string>>;

  for (const name of Object.keys(VARIANTS)) {
    it(`are the checked-in ones, with the same types (${name} settings)`, () => {
      expect(Object.keys(current[name] ?? {}).length).toBeGreaterThan(50);
      expect(current[name]).toEqual(pinned[name]);
    });
  }
});
