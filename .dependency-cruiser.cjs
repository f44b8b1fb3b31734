/**
 * The layers of ../shared/DESIGN.md as rules, run inside `npm test`: an upward import fails the day
 * it is written. From the ground up: domain (pure; ports in domain/ports) → templates → app
 * (use-cases) → adapters (storage, sources, messaging: implementations of the ports) → commons (the
 * per-container kit) → handlers (thin entry points). scripts/, infra/ and test/ stand above them all.
 */
const ADAPTERS = '^functions/(storage|sources|messaging)/';
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'domain-is-pure', severity: 'error', comment: 'The domain imports nothing of ours above it: no app, templates, adapters, commons or handlers.', from: { path: '^functions/domain/' }, to: { path: ['^functions/(app|storage|sources|messaging|commons|handlers)/', '^templates/', '^infra/', '^scripts/'] } },
    { name: 'domain-has-no-aws-sdk', severity: 'error', comment: 'The domain talks to the world through its ports only.', from: { path: '^functions/domain/' }, to: { path: ['node_modules/@aws-sdk/', 'node_modules/@aws-lambda-powertools/', 'node_modules/aws-cdk-lib/'] } },
    { name: 'templates-only-domain', severity: 'error', comment: 'Presentation depends on the domain and nothing else of ours.', from: { path: '^templates/' }, to: { path: ['^functions/(app|storage|sources|messaging|commons|handlers)/', '^infra/', '^scripts/'] } },
    { name: 'app-never-adapters-or-handlers', severity: 'error', comment: 'Use-cases receive adapters through the ports; handlers build them.', from: { path: '^functions/app/' }, to: { path: [ADAPTERS, '^functions/(commons|handlers)/', '^infra/', '^scripts/'] } },
    { name: 'adapters-never-app', severity: 'error', comment: 'Adapters implement the domain ports and know no use-case.', from: { path: ADAPTERS }, to: { path: ['^functions/(app|commons|handlers)/', '^templates/', '^infra/', '^scripts/'] } },
    { name: 'commons-never-app', severity: 'error', comment: 'The per-container kit builds clients and settings, never use-cases.', from: { path: '^functions/commons/' }, to: { path: ['^functions/(app|handlers)/', '^templates/', '^infra/', '^scripts/'] } },
    { name: 'nothing-imports-handlers', severity: 'error', comment: 'Handlers are entry points: one floor above all.', from: { path: '^functions/', pathNot: '^functions/handlers/' }, to: { path: '^functions/handlers/' } },
    { name: 'functions-never-tools', severity: 'error', comment: 'Lambda code never reaches into the CLI tools, the CDK app or the tests.', from: { path: '^(functions|templates)/' }, to: { path: ['^scripts/', '^infra/', '^test/'] } },
    { name: 'no-circular', severity: 'error', comment: 'Modules form a tree of layers, never a ring.', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code, unless it is an entry point (a handler, a script, a test, the CDK app).',
      from: { orphan: true, pathNot: ['^functions/handlers/', '^scripts/', '^test/', '^infra/app\\.ts$', '\\.d\\.ts$', '(^|/)\\.[^/]+\\.(c|m)?js$', '^vitest\\.config\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^cdk\\.out/', '^\\.cache/', '^\\.local/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
