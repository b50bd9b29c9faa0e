/**
 * The HTTP API of BusFlowStack, checked against the catalogue: one API Gateway route per `allApiRoutes` entry,
 * integrated with the Lambda built from the right FunctionDef, the Cognito JWT authorizer on every route that is
 * not public, the user pool and its groups, the throttled `$default` stage, and the extras of each http function
 * (table env vars and grants, cursor key, IoT publish rights). Bundling is skipped, as in stack.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Api, API_THROTTLE, functionOfRoute, PUBLIC_ROUTE_THROTTLE, resolveRoutes } from '../../infra/constructs/api.js';
import { OPERATOR_ID_ATTRIBUTE, PASSWORD_POLICY, ROLE_GROUPS } from '../../infra/constructs/auth.js';
import { topicPattern } from '../../infra/constructs/catalogue-function.js';
import { PROJECT_ROOT } from '../../infra/constructs/names.js';
import { CatalogueTables } from '../../infra/constructs/tables.js';
import { BusFlowStack } from '../../infra/stacks/busflow-stack.js';
import {
  functions,
  outboundTopics,
  retention,
  tableEnvVar,
  tables,
  type FunctionDef,
  type FunctionName,
  type TableAccess,
  type TableName,
} from '../../shared/catalogue/index.js';
import { allApiRoutes, API_CORS, type RouteDef } from '../../shared/api/index.js';

// ---------------------------------------------------------------------------------------------------------------

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
const newApp = () => new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const app = newApp();
// Prod: its user pool is protected from deletion (dev's is not: stages.test.ts).
const stack = new BusFlowStack(app, 'BusFlowStack', { stage: 'prod' });
const json = Template.fromStack(stack).toJSON() as { Resources: Record<string, CfnResourceJson>; Outputs: Record<string, { Value: unknown }> };
const resources = json.Resources;

interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, any>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const logicalId = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const refersTo = (value: unknown, id: string) => JSON.stringify(value).includes(`"${id}"`);
const ARN = 'arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:';

/** `{ Fn::Join: ['', ['arn:', { Ref: 'AWS::Partition' }, ...]] }` → `arn:${AWS::Partition}...`. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

function statementsOfRole(roleId: string): Statement[] {
  const inline = (resources[roleId]!.Properties?.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement as Statement[]);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => refersTo(p.Properties?.Roles, roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

/** The http functions of the catalogue, found independently of the construct: source kind http. */
const httpEntries = (Object.entries(functions) as [FunctionName, FunctionDef][]).filter(([, def]) => def.source.kind === 'http');

/** What the route's `function` folder means: the catalogue function with entry `functions/<folder>/handler.ts`. */
function expectedFunction(route: RouteDef): [FunctionName, FunctionDef] {
  const found = httpEntries.find(([, def]) => def.entry === `functions/${route.function}/handler.ts`);
  if (!found) throw new Error(`route ${route.id}: no http function with entry functions/${route.function}/handler.ts`);
  return found;
}

function apiFunction(name: FunctionName) {
  const fn = stack.api.functions.get(name);
  if (!fn) throw new Error(`http function ${name} was not created by the Api construct`);
  return { fn, fnId: logicalId(fn.fn), roleId: logicalId(fn.role) };
}

const apiId = logicalId(stack.api.httpApi);
const userPoolId = logicalId(stack.api.auth.userPool);
const clientId = logicalId(stack.api.auth.client);
const consoleClientId = logicalId(stack.api.auth.consoleClient!);
const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
const routes = ofType('AWS::ApiGatewayV2::Route');

// ---------------------------------------------------------------------------------------------------------------

describe('routes', () => {
  it('has exactly one API Gateway route per catalogue route, all on the one HTTP API', () => {
    expect(ofType('AWS::ApiGatewayV2::Api')).toHaveLength(1);
    expect(resources[apiId]!.Properties!.ProtocolType).toBe('HTTP');
    expect(routes).toHaveLength(allApiRoutes.length);
    for (const [, r] of routes) expect(r.Properties!.ApiId).toEqual({ Ref: apiId });
  });

  it.each(allApiRoutes.map((r) => [r.id, r] as const))('%s: route key, authorization and integration from the catalogue', (_, route) => {
    const mine = routes.filter(([, r]) => r.Properties!.RouteKey === `${route.method} ${route.path}`);
    expect(mine, `no route ${route.method} ${route.path}`).toHaveLength(1);
    const p = mine[0]![1].Properties!;

    if (route.auth === 'public') {
      expect(p.AuthorizationType).toBe('NONE');
      expect(p.AuthorizerId).toBeUndefined();
    } else {
      expect(p.AuthorizationType).toBe('JWT');
      expect(p.AuthorizerId).toEqual({ Ref: authorizers[0]![0] });
    }

    // Target `integrations/<id>` → a Lambda proxy integration (payload 2.0) → the function of the route's folder.
    const integrationId = (p.Target['Fn::Join'][1] as unknown[]).map((part) => (part as { Ref?: string }).Ref).find(Boolean)!;
    const integration = resources[integrationId]!;
    expect(integration.Type).toBe('AWS::ApiGatewayV2::Integration');
    expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', ApiId: { Ref: apiId } });
    const [name, def] = expectedFunction(route);
    const { fnId } = apiFunction(name);
    expect(integration.Properties!.IntegrationUri).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(resources[fnId]!.Properties!.Description).toBe(def.description);

    // API Gateway may invoke that function for this route's path.
    const permissions = ofType('AWS::Lambda::Permission').filter(
      ([, perm]) => refersTo(perm.Properties!.FunctionName, fnId) && flatten(perm.Properties!.SourceArn).endsWith(`/*/*${route.path}`),
    );
    expect(permissions.length, `no invoke permission for ${route.path}`).toBeGreaterThan(0);
    expect(permissions[0]![1].Properties!.Principal).toBe('apigateway.amazonaws.com');
  });

  it('builds one Lambda per http function, and every http function serves at least one route', () => {
    expect([...stack.api.functions.keys()].sort()).toEqual(httpEntries.map(([name]) => name).sort());
    const served = new Set(allApiRoutes.map((r) => expectedFunction(r)[0]));
    expect([...served].sort()).toEqual(httpEntries.map(([name]) => name).sort());
  });
});

describe('routes naming functions the catalogue lacks', () => {
  const someRoute = allApiRoutes[0]!;
  const bogus: RouteDef = { ...someRoute, id: 'bogusRoute', path: '/v1/bogus', function: 'no-such-function' };

  it('make the Api construct (and so the synth) fail with the route and folder named', () => {
    const stack2 = new Stack(newApp(), 'Bogus');
    const tables2 = new CatalogueTables(stack2, 'Tables');
    expect(() => new Api(stack2, 'Api', { tables: tables2, routes: [...allApiRoutes, bogus] })).toThrow(
      new RegExp(`bogusRoute \\(${bogus.method} /v1/bogus\\).*'no-such-function'.*functions/no-such-function/handler\\.ts`),
    );
  });

  it('are refused by functionOfRoute, as are routes to a function that is not triggered by HTTP', () => {
    expect(() => functionOfRoute(bogus)).toThrow(/no catalogue function has entry functions\/no-such-function\/handler\.ts/);
    const streamDef = Object.entries(functions).find(([, def]) => (def as FunctionDef).source.kind !== 'http');
    if (streamDef) {
      const folder = (streamDef[1] as FunctionDef).entry.split('/')[1]!;
      expect(() => functionOfRoute({ ...bogus, function: folder })).toThrow(/not http/);
    }
  });

  it('refuses duplicate route keys and http functions that no route reaches', () => {
    expect(() => resolveRoutes([...allApiRoutes, { ...someRoute, id: 'twin' }])).toThrow(/same route key/);
    const [name] = expectedFunction(someRoute);
    const withoutIt = allApiRoutes.filter((r) => expectedFunction(r)[0] !== name);
    expect(() => resolveRoutes(withoutIt)).toThrow(new RegExp(`no API route reaches: .*${name}`));
  });
});

describe('JWT authorizer and user pool', () => {
  it('has one JWT authorizer: the user pool as issuer, the app client and the console’s as audience, the bearer header as source', () => {
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]![1].Properties).toEqual({
      ApiId: { Ref: apiId },
      AuthorizerType: 'JWT',
      Name: expect.any(String),
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: { 'Fn::GetAtt': [userPoolId, 'ProviderURL'] }, Audience: [{ Ref: clientId }, { Ref: consoleClientId }] },
    });
  });

  it('has a user pool without self sign-up, a strong password policy, optional TOTP MFA and threat protection', () => {
    expect(ofType('AWS::Cognito::UserPool')).toHaveLength(1);
    const p = resources[userPoolId]!.Properties!;
    expect(p.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(p.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: PASSWORD_POLICY.minLength,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(PASSWORD_POLICY.minLength).toBeGreaterThanOrEqual(8);
    expect(p.MfaConfiguration).toBe('OPTIONAL');
    expect(p.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(p.UserPoolTier).toBe('PLUS');
    expect(p.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    expect(p.DeletionProtection).toBe('ACTIVE');
  });

  it('carries the operator in a mutable custom attribute operatorId', () => {
    const schema = resources[userPoolId]!.Properties!.Schema as { Name: string; Mutable: boolean; AttributeDataType: string }[];
    expect(schema).toContainEqual(expect.objectContaining({ Name: OPERATOR_ID_ATTRIBUTE, AttributeDataType: 'String', Mutable: true }));
    expect(OPERATOR_ID_ATTRIBUTE).toBe('operatorId'); // read as custom:operatorId by shared/adapters/http/principal.ts
  });

  it('has exactly the groups centre and operator (the roles principal.ts reads from cognito:groups)', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties!);
    expect(groups.map((g) => g.GroupName).sort()).toEqual(['centre', 'operator']);
    expect([...ROLE_GROUPS].sort()).toEqual(['centre', 'operator']);
    for (const g of groups) expect(g.UserPoolId).toEqual({ Ref: userPoolId });
  });

  it('has one public app client (no secret, SRP) that cannot write custom:operatorId', () => {
    // The other client is the web console's hosted UI client (console-site.test.ts).
    expect(
      ofType('AWS::Cognito::UserPoolClient')
        .map(([id]) => id)
        .sort(),
    ).toEqual([clientId, consoleClientId].sort());
    const p = resources[clientId]!.Properties!;
    expect(p.UserPoolId).toEqual({ Ref: userPoolId });
    expect(p.GenerateSecret).toBe(false);
    expect(p.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH']));
    expect(p.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(p.ReadAttributes).toContain(`custom:${OPERATOR_ID_ATTRIBUTE}`);
    expect(p.WriteAttributes).toBeDefined();
    expect(p.WriteAttributes).not.toContain(`custom:${OPERATOR_ID_ATTRIBUTE}`);
  });
});

describe('stage', () => {
  it('is one auto-deployed $default stage with stage-wide throttling', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const p = stages[0]![1].Properties!;
    expect(p).toMatchObject({ ApiId: { Ref: apiId }, StageName: '$default', AutoDeploy: true });
    expect(p.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: API_THROTTLE.rateLimit, ThrottlingBurstLimit: API_THROTTLE.burstLimit });
    expect(API_THROTTLE.rateLimit).toBeGreaterThan(0);
    expect(API_THROTTLE.burstLimit).toBeGreaterThanOrEqual(API_THROTTLE.rateLimit);
  });

  it('throttles each public route on its own, below the stage, and deploys the stage after those routes', () => {
    const [stageId, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    const publicRoutes = allApiRoutes.filter((r) => r.auth === 'public');
    expect(publicRoutes.map((r) => r.id)).toEqual(expect.arrayContaining(['listRoutes', 'getRoute', 'listStops', 'getStop', 'gtfsStatic']));
    const settings = stage.Properties!.RouteSettings as Record<string, unknown>;
    expect(Object.keys(settings).sort()).toEqual(publicRoutes.map((r) => `${r.method} ${r.path}`).sort());
    for (const value of Object.values(settings)) {
      expect(value).toEqual({ ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit, ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit });
    }
    expect(PUBLIC_ROUTE_THROTTLE.rateLimit).toBeLessThan(API_THROTTLE.rateLimit);
    const dependsOn = (json.Resources[stageId] as { DependsOn?: string[] }).DependsOn ?? [];
    for (const r of publicRoutes) {
      const routeId = routes.find(([, x]) => x.Properties!.RouteKey === `${r.method} ${r.path}`)![0];
      expect(dependsOn).toContain(routeId);
    }
  });

  it('answers CORS preflights for any origin, with the headers callers send and read, and no credentials', () => {
    const cors = resources[apiId]!.Properties!.CorsConfiguration;
    expect(cors).toMatchObject({
      AllowOrigins: ['*'],
      AllowMethods: expect.arrayContaining(['GET', 'OPTIONS']),
      AllowHeaders: expect.arrayContaining(['authorization', 'content-type', 'x-request-id']),
      ExposeHeaders: expect.arrayContaining(['x-request-id']),
      MaxAge: API_CORS.maxAgeS,
    });
    expect(cors.AllowCredentials).not.toBe(true);
  });

  it('writes JSON access logs with the request id to a log group with retention', () => {
    const p = ofType('AWS::ApiGatewayV2::Stage')[0]![1].Properties!;
    const logGroupId = p.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    expect(resources[logGroupId]!.Type).toBe('AWS::Logs::LogGroup');
    expect(resources[logGroupId]!.Properties!.RetentionInDays).toEqual(expect.any(Number));
    const format = JSON.parse(p.AccessLogSettings.Format as string) as Record<string, string>;
    expect(Object.values(format)).toEqual(expect.arrayContaining(['$context.requestId', '$context.routeKey', '$context.status']));
  });

  it('outputs the API URL, the user pool id and the client id', () => {
    const values = Object.values(json.Outputs).map((o) => o.Value);
    expect(values).toContainEqual({ Ref: userPoolId });
    expect(values).toContainEqual({ Ref: clientId });
    expect(values.map((v) => (typeof v === 'object' && v && 'Fn::Join' in v ? flatten(v) : ''))).toContain(
      `https://\${${apiId}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/`,
    );
  });
});

describe('http functions', () => {
  const READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
  const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'];
  const tableId = (name: TableName) => stack.getLogicalId(stack.tables.table(name).node.defaultChild as CfnElement);

  it.each(httpEntries)('%s has env vars for exactly its tables, and the cursor key only if it needs it', (name, def) => {
    const env = resources[apiFunction(name).fnId]!.Properties!.Environment.Variables as Record<string, unknown>;
    const tableVars = Object.keys(env)
      .filter((k) => k.startsWith('TABLE_'))
      .sort();
    expect(tableVars).toEqual((Object.keys(def.tables) as TableName[]).map(tableEnvVar).sort());
    for (const table of Object.keys(def.tables) as TableName[]) expect(env[tableEnvVar(table)]).toEqual({ Ref: tableId(table) });
    if (def.cursorKey) expect(env.CURSOR_KEY_SECRET_ARN).toEqual({ Ref: logicalId(stack.cursorKey!) });
    else expect(env.CURSOR_KEY_SECRET_ARN).toBeUndefined();
    expect(env.POWERTOOLS_SERVICE_NAME).toBe(def.entry.split('/').at(-2));
  });

  it.each(httpEntries)('%s may read/write exactly its tables (reads include every index), never Scan or DeleteItem', (name, def) => {
    const statements = statementsOfRole(apiFunction(name).roleId).filter((s) => s.Effect === 'Allow');
    const actions = statements.flatMap((s) => asList(s.Action));
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:*', '*']) expect(actions).not.toContain(forbidden);

    for (const [table, def2] of Object.entries(tables) as [TableName, (typeof tables)[TableName]][]) {
      const access = (def.tables as Partial<Record<TableName, TableAccess>>)[table];
      const id = tableId(table);
      const onTable = statements.filter((s) => refersTo(s.Resource, id));
      const granted = new Set(onTable.flatMap((s) => asList(s.Action)));
      if (!access) {
        expect(granted.size, `${name} on ${table}`).toBe(0);
        continue;
      }
      for (const a of READS) expect(granted.has(a), `${name} ${a} on ${table}`).toBe(access !== 'write');
      for (const a of WRITES) expect(granted.has(a), `${name} ${a} on ${table}`).toBe(access !== 'read');
      if (access !== 'write') {
        const readResources = onTable.filter((s) => asList(s.Action).includes('dynamodb:Query')).flatMap((s) => asList(s.Resource).map(flatten));
        for (const index of def2.indexes) expect(readResources, `${name} reads ${table}/index/${index.name}`).toContain(`\${${id}.Arn}/index/${index.name}`);
      }
    }
  });

  it('creates the trip-orders indexes byDay and byVehicle and lets the trip-orders function query them', () => {
    const p = resources[tableId('tripOrders')]!.Properties!;
    expect((p.GlobalSecondaryIndexes as { IndexName: string }[]).map((i) => i.IndexName).sort()).toEqual(tables.tripOrders.indexes.map((i) => i.name).sort());
    expect(functions.apiTripOrders.tables.tripOrders).toBe('readWrite');
    const reads = statementsOfRole(apiFunction('apiTripOrders').roleId)
      .filter((s) => asList(s.Action).includes('dynamodb:Query'))
      .flatMap((s) => asList(s.Resource).map(flatten));
    for (const index of tables.tripOrders.indexes) expect(reads).toContain(`\${${tableId('tripOrders')}.Arn}/index/${index.name}`);
  });

  it('keeps complaints two years in their own table, by id and by service day; the vehicles table finds a plate keys-only', () => {
    const p = resources[tableId('complaints')]!.Properties!;
    expect(p.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(p.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byDay',
        KeySchema: [
          { AttributeName: 'serviceDay', KeyType: 'HASH' },
          { AttributeName: 'listKey', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(retention.complaintsDays).toBe(730);
    const byPlate = (resources[tableId('vehicles')]!.Properties!.GlobalSecondaryIndexes as { IndexName: string; Projection: unknown }[]).find(
      (i) => i.IndexName === 'byPlate',
    );
    // Positions update a vehicle every few seconds: an index holding every attribute would be written each time.
    expect(byPlate?.Projection).toEqual({ ProjectionType: 'KEYS_ONLY' });
  });

  it('serves the complaint routes behind the JWT authorizer from a function that writes only complaints', () => {
    for (const id of ['createComplaint', 'listComplaints', 'getComplaint']) {
      expect(resources[logicalId(stack.api.routes.get(id)!)]!.Properties!.AuthorizationType, id).toBe('JWT');
    }
    expect(functions.apiComplaints.tables).toEqual({
      complaints: 'readWrite',
      journeys: 'read',
      telemetry: 'read',
      vehicles: 'read',
      routeContracts: 'read',
      network: 'read',
    });
    const statements = statementsOfRole(apiFunction('apiComplaints').roleId);
    const written = statements.filter((s) => asList(s.Action).includes('dynamodb:PutItem')).flatMap((s) => asList(s.Resource).map(flatten));
    expect(written).toEqual([`\${${tableId('complaints')}.Arn}`]);
    // The quality view counts complaints: the journeys function reads them, never writes.
    expect(functions.apiJourneys.tables.complaints).toBe('read');
  });

  it.each(httpEntries)('%s may publish only to the topics of its catalogue entry ({x} → *)', (name, def) => {
    const statements = statementsOfRole(apiFunction(name).roleId);
    const iot = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('iot:')));
    const expected = (def.publishes ?? []).map((t) => `${ARN}topic/${topicPattern(t)}`);
    expect(iot.flatMap((s) => asList(s.Resource).map(flatten)).sort()).toEqual(expected.sort());
    // Publish rights only: the endpoint comes as IOT_DATA_ENDPOINT, there is no iot:DescribeEndpoint.
    for (const s of iot) expect(asList(s.Action).sort()).toEqual(['iot:Publish', 'iot:RetainPublish']);
  });

  it('gives the trip-orders function IOT_DATA_ENDPOINT from the deploy-time lookup, and no iot:DescribeEndpoint', () => {
    const { fnId, roleId } = apiFunction('apiTripOrders');
    const env = resources[fnId]!.Properties!.Environment.Variables as Record<string, unknown>;
    const lookupId = stack.getLogicalId(stack.iotDataEndpoint!.lookup.node.findChild('Resource').node.defaultChild as CfnElement);
    expect(resources[lookupId]!.Type).toBe('Custom::IotDataEndpoint');
    expect(env.IOT_DATA_ENDPOINT).toEqual({ 'Fn::GetAtt': [lookupId, 'endpointAddress'] });
    expect(statementsOfRole(roleId).flatMap((s) => asList(s.Action))).not.toContain('iot:DescribeEndpoint');
  });

  it('lets the trip-orders function iot:Publish only to topic/bus/*/assignment', () => {
    const def = functions.apiTripOrders as FunctionDef;
    expect(def.publishes).toEqual([outboundTopics.assignment.template]);
    const publish = statementsOfRole(apiFunction('apiTripOrders').roleId).filter((s) => asList(s.Action).includes('iot:Publish'));
    expect(publish.flatMap((s) => asList(s.Resource).map(flatten))).toEqual([`${ARN}topic/bus/*/assignment`]);
  });

  it('keeps the cursor key in a generated 48-character secret that only cursorKey functions read', () => {
    const secretId = logicalId(stack.cursorKey!);
    expect(resources[secretId]!.Properties!.GenerateSecretString).toEqual({ PasswordLength: 48, ExcludePunctuation: true });
    for (const [name, def] of Object.entries(functions) as [FunctionName, FunctionDef][]) {
      const fn = stack.api.functions.get(name) ?? stack.ingestion.functions.get(name) ?? stack.schedules.functions.get(name)!;
      const reads = statementsOfRole(logicalId(fn.role)).filter((s) => refersTo(s.Resource, secretId));
      expect(reads.length > 0, `${name} reads the cursor key`).toBe(def.cursorKey === true);
    }
  });
});
