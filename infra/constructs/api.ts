/**
 * The HTTP API (ARCHITECTURE §10), generated from the catalogue: one Lambda per function whose source is `http`,
 * one API Gateway route per `allApiRoutes` entry (integration = the Lambda of the route's function folder), a
 * Cognito JWT authorizer on every route that is not public, and a throttled, access-logged `$default` stage.
 * Each function's handler dispatches on `event.routeKey` (`POST /v1/trip-orders/{id}/issue`).
 */
import { posix } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  LogGroupLogDestination,
  type HttpStage,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { functions, type FunctionDef, type FunctionName } from '../../shared/catalogue/index.js';
import { allApiRoutes, API_CORS, routeKey, type RouteDef } from '../../shared/api/index.js';
import { ApiAuth } from './auth.js';
import { CatalogueFunction, FUNCTION_LOG_RETENTION } from './catalogue-function.js';
import { pascalCase } from './names.js';
import type { CatalogueTables } from './tables.js';

/**
 * Stage-wide throttling of the `$default` stage (every route): steady requests per second and burst. Well above
 * what the centre's and operators' staff and terminals generate (a day's orders are created in one batch call),
 * low enough that a runaway client or a flood is turned away with 429 before it reaches Lambda and DynamoDB.
 * The account-level limit (10 000 rps per region) is never the one that bites.
 */
export const API_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

/**
 * Each public route (no token: passengers, stop boards, open-data consumers) is throttled on its own as well,
 * below the stage: one anonymous route flooded cannot take the whole stage's capacity from the others.
 */
export const PUBLIC_ROUTE_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/** A route's `function` is a folder under functions/ whose `handler.ts` the catalogue function has as entry. */
const FUNCTIONS_DIR = 'functions';
const HANDLER_FILE = 'handler.ts';

/** One JSON line per request (HTTP API `$context` variables); no bodies, no tokens. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    subject: '$context.authorizer.claims.sub',
    error: '$context.error.message',
  }),
);

export type HttpFunction = [FunctionName, FunctionDef];

/** Catalogue functions triggered by the API. */
export function httpFunctions(catalogue: Record<string, FunctionDef> = functions): HttpFunction[] {
  return (Object.entries(catalogue) as HttpFunction[]).filter(([, def]) => def.source.kind === 'http');
}

/**
 * The catalogue function that serves `route`: the one whose entry is `functions/<route.function>/handler.ts`.
 * Throws (failing the synth) when there is none, or when that function is not triggered by HTTP.
 */
export function functionOfRoute(route: RouteDef, catalogue: Record<string, FunctionDef> = functions): HttpFunction {
  const entry = posix.join(FUNCTIONS_DIR, route.function, HANDLER_FILE);
  const found = (Object.entries(catalogue) as HttpFunction[]).find(([, def]) => posix.normalize(def.entry) === entry);
  if (!found) {
    throw new Error(
      `API route ${route.id} (${routeKey(route)}) is served by function folder '${route.function}', ` +
        `but no catalogue function has entry ${entry} (shared/catalogue/functions.ts)`,
    );
  }
  if (found[1].source.kind !== 'http') {
    throw new Error(`API route ${route.id} (${routeKey(route)}) is served by ${found[0]}, whose source is ${found[1].source.kind}, not http`);
  }
  return found;
}

/** Every route resolved to its function; also refuses duplicate route keys and http functions no route reaches. */
export function resolveRoutes(routes: readonly RouteDef[], catalogue: Record<string, FunctionDef> = functions): [RouteDef, HttpFunction][] {
  const resolved = routes.map((route) => [route, functionOfRoute(route, catalogue)] as [RouteDef, HttpFunction]);
  const seen = new Map<string, string>();
  for (const route of routes) {
    const key = routeKey(route);
    const other = seen.get(key);
    if (other) throw new Error(`API routes ${other} and ${route.id} have the same route key ${key}`);
    seen.set(key, route.id);
  }
  const served = new Set(resolved.map(([, [name]]) => name));
  const idle = httpFunctions(catalogue)
    .filter(([name]) => !served.has(name))
    .map(([name]) => name);
  if (idle.length > 0) throw new Error(`catalogue functions with source http that no API route reaches: ${idle.join(', ')}`);
  return resolved;
}

export interface ApiProps {
  tables: CatalogueTables;
  cardHashKey?: ISecret;
  cursorKey?: ISecret;
  /** The account's IoT data endpoint host (IotDataEndpoint): required if one of the functions publishes. */
  iotDataEndpoint?: string;
  /** The routes to serve; the catalogue's `allApiRoutes` unless a test says otherwise. */
  routes?: readonly RouteDef[];
  /** The web console's origin (`https://…cloudfront.net`): it signs in through Cognito's hosted UI and calls the API. */
  consoleOrigin?: string;
}

export class Api extends Construct {
  readonly auth: ApiAuth;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly authorizer: HttpJwtAuthorizer;
  readonly functions = new Map<FunctionName, CatalogueFunction>();
  /** By catalogue route id. */
  readonly routes = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    // Resolve first: a catalogue mistake fails here, with its name, before anything is built.
    const resolved = resolveRoutes(props.routes ?? allApiRoutes);
    const stack = Stack.of(this);

    this.auth = new ApiAuth(this, 'Auth', props.consoleOrigin ? { consoleOrigin: props.consoleOrigin } : {});

    for (const [name, def] of httpFunctions()) {
      this.functions.set(
        name,
        new CatalogueFunction(this, def.id, {
          def,
          tables: props.tables,
          ...(props.cardHashKey ? { cardHashKey: props.cardHashKey } : {}),
          ...(props.cursorKey ? { cursorKey: props.cursorKey } : {}),
          ...(props.iotDataEndpoint ? { iotDataEndpoint: props.iotDataEndpoint } : {}),
        }),
      );
    }

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${stack.stackName}-api`,
      description: 'BusFlow HTTP API (routes from shared/catalogue/api-routes.ts)',
      // The $default stage is created below, with throttling and access logs.
      createDefaultStage: false,
      // CORS preflights answered by API Gateway, from the catalogue's policy (the local server answers the same).
      corsPreflight: {
        allowOrigins: [...API_CORS.allowOrigins],
        allowMethods: API_CORS.allowMethods.map((m) => CorsHttpMethod[m]),
        allowHeaders: [...API_CORS.allowHeaders],
        exposeHeaders: [...API_CORS.exposeHeaders],
        maxAge: Duration.seconds(API_CORS.maxAgeS),
      },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: FUNCTION_LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: API_THROTTLE.rateLimit, burstLimit: API_THROTTLE.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });

    // One authorizer for all protected routes: signature against the pool's JWKS, issuer, audience (the app
    // client id: `aud` of ID tokens, `client_id` of access tokens) and expiry. Roles are checked by the handler.
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', this.auth.issuer, {
      jwtAudience: [this.auth.client.userPoolClientId, ...(this.auth.consoleClient ? [this.auth.consoleClient.userPoolClientId] : [])],
    });
    const none = new HttpNoneAuthorizer();

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const [route, [name, def]] of resolved) {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${def.id}Integration`, this.functions.get(name)!.fn);
        integrations.set(name, integration);
      }
      const authorizer: IHttpRouteAuthorizer = route.auth === 'public' ? none : this.authorizer;
      const httpRoute = new HttpRoute(this, `${pascalCase(route.id)}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        authorizer,
      });
      if (route.auth === 'public') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${routeKey(route)} (${route.summary}) is declared auth: 'public' in shared/catalogue/api-routes.ts: ` +
            'it serves no operator or centre data and must be readable without an account. Every other route has ' +
            'the Cognito JWT authorizer.',
        });
      }
      this.routes.set(route.id, httpRoute);
    }

    // The public routes' own throttling (CloudFormation property names: the map is passed as it is); the stage
    // refers to them by route key, so it is deployed after them.
    const publicRoutes = resolved.map(([route]) => route).filter((route) => route.auth === 'public');
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      publicRoutes.map((route) => [
        routeKey(route),
        { ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit, ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit },
      ]),
    );
    for (const route of publicRoutes) this.stage.node.addDependency(this.routes.get(route.id)!);

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the BusFlow HTTP API ($default stage)',
      value: this.stage.url,
      exportName: `${stack.stackName}-ApiUrl`,
    });
  }
}
