/**
 * BusFlow's layers, checked on every `npm test` (docs/architecture.md explains them):
 *
 *   shared/catalogue   contracts (topics, messages, tables, ids, schedules)    imports nothing of ours
 *   shared/kernel      pure primitives (geo, time, small utilities)            imports nothing of ours
 *   shared/gtfs        the GTFS model and its import                           kernel
 *   shared/domain      pure logic (telemetry, journeys, trip orders, ...)      catalogue, kernel, gtfs
 *   shared/api         the HTTP API's routes and schemas                       catalogue, domain
 *   shared/adapters    DynamoDB, IoT, HTTP middlewares, config                 catalogue, kernel, gtfs, domain, api
 *   functions/         one folder per Lambda                                   shared/*
 *   simulator/         the fleet; declares its ports                           catalogue, kernel, gtfs, domain
 *   infra/             CDK app and the local stack                             anything above
 *   web/src/           the web console (in the browser)                        nothing of ours: it calls the API
 *
 * Arrows point one way only; a cycle anywhere is an error.
 */
const layer = (name, path, mayImport, comment) => ({
  name: `layer-${name}`,
  comment,
  severity: 'error',
  from: { path: `^${path}/` },
  to: { path: '^(shared|functions|simulator|infra|test)/', pathNot: [`^${path}/`, ...mayImport.map((p) => `^${p}/`)] },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'A cycle is a bug: dependencies point one way.', severity: 'error', from: {}, to: { circular: true } },
    layer('catalogue', 'shared/catalogue', [], 'The catalogue is the contract: it imports nothing of ours.'),
    layer('kernel', 'shared/kernel', [], 'The kernel is pure primitives: it imports nothing of ours.'),
    layer('gtfs', 'shared/gtfs', ['shared/kernel'], 'The GTFS model and import sit below the domain.'),
    layer('domain', 'shared/domain', ['shared/catalogue', 'shared/kernel', 'shared/gtfs'], 'The domain is pure: no adapters, functions or infra.'),
    layer('api', 'shared/api', ['shared/catalogue', 'shared/kernel', 'shared/domain'], 'The API contract sits on the domain, below what serves it.'),
    layer(
      'adapters',
      'shared/adapters',
      ['shared/catalogue', 'shared/kernel', 'shared/gtfs', 'shared/domain', 'shared/api'],
      'Adapters implement the ports; they never reach up into functions or infra.',
    ),
    layer('functions', 'functions', ['shared'], 'A Lambda uses the shared layers, never another function, the simulator or infra.'),
    layer(
      'simulator',
      'simulator',
      ['shared/catalogue', 'shared/kernel', 'shared/gtfs', 'shared/domain'],
      'The simulator declares the ports it needs; the local stack provides them.',
    ),
    {
      name: 'no-aws-in-domain',
      comment: 'Domain logic has no AWS imports: it is tested directly, without mocks.',
      severity: 'error',
      from: { path: '^shared/(domain|kernel|gtfs|catalogue|api)/' },
      to: { path: '(^|/)node_modules/(@aws-sdk|aws-lambda|@aws-lambda-powertools|aws-cdk-lib|@middy)/' },
    },
    {
      name: 'web-console-stands-alone',
      comment: 'The console runs in the browser and speaks to the backend only through the /v1 API.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^(shared|functions|simulator|infra|test)/' },
    },
    {
      name: 'no-test-from-source',
      comment: 'Source never imports tests or their support.',
      severity: 'error',
      from: { path: '^(shared|functions|simulator|infra)/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-cdk-at-runtime',
      comment: 'Only infra/ (outside infra/local) builds CDK constructs.',
      severity: 'error',
      from: { path: '^(shared|functions|simulator|infra/local)/' },
      to: { path: '(^|/)node_modules/(aws-cdk-lib|constructs|cdk-nag)/' },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API for dependency-cruiser to parse with; swc parses the TypeScript instead.
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^(cdk\\.out|coverage)/', '^test/fixtures/layers/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
