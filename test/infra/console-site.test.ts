/**
 * The web console on AWS: a private bucket behind CloudFront with origin access control, HTTPS only, security
 * headers, app routes answered with the page, the files built at synth by web/build.ts and uploaded with a
 * config.json naming the API and the hosted UI; the Cognito client whose callback is the console; an API
 * whose CORS admits the console's origin. Bundling is skipped, as in stack.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ID_ATTRIBUTE } from '../../infra/constructs/auth.js';
import { PROJECT_ROOT } from '../../infra/constructs/names.js';
import { BusFlowStack } from '../../infra/stacks/busflow-stack.js';

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const stack = new BusFlowStack(app, 'BusFlowStack');
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: any; DependsOn?: string[] }>;
const logicalId = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const bucketId = logicalId(stack.console.bucket);
const distributionId = logicalId(stack.console.distribution);
const consoleClientId = logicalId(stack.api.auth.consoleClient!);
const distribution = resources[distributionId]!.Properties!.DistributionConfig;
const consoleOrigin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };

describe('console bucket', () => {
  it('is private, encrypted, TLS only, and logs its access', () => {
    const p = resources[bucketId]!.Properties!;
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(p.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId(stack.console.logs) });
  });

  it('is read by this distribution only (origin access control), and refuses plain HTTP', () => {
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, r]) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId }))!;
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: { AWS: '*' } }),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(JSON.stringify(allows[0].Condition)).toContain(distributionId);
    expect(distribution.Origins[0].OriginAccessControlId).toBeDefined();
    expect(distribution.Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
  });
});

describe('console distribution', () => {
  it('redirects HTTP to HTTPS, serves only GET and HEAD, and answers app routes with index.html', () => {
    expect(distribution.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], Compress: true });
    expect(distribution.DefaultRootObject).toBe('index.html');
    expect(distribution.CustomErrorResponses).toEqual(
      [403, 404].map((ErrorCode) => expect.objectContaining({ ErrorCode, ResponseCode: 200, ResponsePagePath: '/index.html' })),
    );
    expect(distribution.Logging.Bucket).toEqual({ 'Fn::GetAtt': [logicalId(stack.console.logs), 'RegionalDomainName'] });
  });

  it('adds security headers: HSTS, a CSP without framing or foreign scripts, nosniff, DENY, same-origin referrer', () => {
    const policyId = logicalId(stack.console.headers);
    expect(distribution.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const h = resources[policyId]!.Properties!.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(h.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 365 * 86400, IncludeSubdomains: true, Override: true });
    expect(h.ContentSecurityPolicy.ContentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(h.ContentSecurityPolicy.ContentSecurityPolicy).toContain("script-src 'self'");
    expect(h.ContentTypeOptions).toEqual({ Override: true });
    expect(h.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(h.ReferrerPolicy).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
  });
});

describe('console files', () => {
  const [, deployment] = ofType('Custom::CDKBucketDeployment')[0]!;

  it('are uploaded with config.json into the bucket, and CloudFront’s copies invalidated', () => {
    expect(ofType('Custom::CDKBucketDeployment')).toHaveLength(1);
    const p = deployment.Properties!;
    expect(p.DestinationBucketName).toEqual({ Ref: bucketId });
    expect(p.SourceObjectKeys).toHaveLength(2);
    expect(p.DistributionId).toEqual({ Ref: distributionId });
    expect(p.DistributionPaths).toEqual(['/*']);
    expect(p.Prune).toBe(true);
  });

  it('config.json names the API endpoint, the hosted UI and the console’s Cognito client', () => {
    const assembly = app.synth();
    const file = readdirSync(assembly.directory)
      .map((d) => join(assembly.directory, d, 'config.json'))
      .find((f) => existsSync(f));
    // Deploy-time values are markers in the file, resolved by the upload from SourceMarkers.
    const config = JSON.parse(readFileSync(file!, 'utf8'));
    const markers = Object.assign({}, ...(deployment.Properties!.SourceMarkers as object[]));
    const resolved = (text: string) => text.replace(/<<marker:[^>]+>>/g, (m) => JSON.stringify(markers[m]));
    expect(config.auth.kind).toBe('cognito');
    expect(resolved(config.auth.clientId)).toContain(consoleClientId);
    expect(resolved(config.auth.domain)).toMatch(/^busflow-.*AWS::AccountId.*\.auth\..*AWS::Region.*\.amazoncognito\.com$/);
    expect(resolved(config.apiUrl)).toContain(logicalId(stack.api.httpApi));
    expect(config.tileUrl).toBeUndefined();
  });

  it('config.json carries the tile server given as context', () => {
    const withTiles = new App({
      context: {
        ...cdkJson.context,
        'aws:cdk:bundling-stacks': [],
        consoleTileUrl: 'https://tiles.example/{z}/{x}/{y}.png',
        consoleTileAttribution: '© Example',
      },
    });
    new BusFlowStack(withTiles, 'BusFlowStack');
    const assembly = withTiles.synth();
    const file = readdirSync(assembly.directory)
      .map((d) => join(assembly.directory, d, 'config.json'))
      .find((f) => existsSync(f));
    expect(JSON.parse(readFileSync(file!, 'utf8'))).toMatchObject({ tileUrl: 'https://tiles.example/{z}/{x}/{y}.png', tileAttribution: '© Example' });
  }, 60_000);

  it('are the output of web/build.ts at synth: the page, the app and Leaflet', () => {
    const assembly = app.synth();
    const assets = readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
    const site = assets.map((d) => join(assembly.directory, d)).find((d) => existsSync(join(d, 'index.html')) && existsSync(join(d, 'app.js')));
    expect(site).toBeDefined();
    expect(existsSync(join(site!, 'vendor', 'leaflet.js'))).toBe(true);
    expect(readFileSync(join(site!, 'index.html'), 'utf8')).toContain('/app.js');
  });
});

describe('sign-in and CORS for the console', () => {
  it('has a hosted UI domain and a console client: implicit grant to the console’s /login only, no secret', () => {
    expect(ofType('AWS::Cognito::UserPoolDomain')).toHaveLength(1);
    const p = resources[consoleClientId]!.Properties!;
    expect(p.GenerateSecret).toBe(false);
    expect(p.AllowedOAuthFlows).toEqual(['implicit']);
    expect(p.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(p.AllowedOAuthScopes.sort()).toEqual(['email', 'openid']);
    expect(p.CallbackURLs).toEqual([{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/login']] }]);
    expect(p.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(p.WriteAttributes).not.toContain(`custom:${OPERATOR_ID_ATTRIBUTE}`);
  });

  it('lets the console’s origin call the API (CORS) and accepts its tokens (JWT audience)', () => {
    const [, api] = ofType('AWS::ApiGatewayV2::Api')[0]!;
    const origins = api.Properties!.CorsConfiguration.AllowOrigins as unknown[];
    // Any origin may call the public API (shared/api/cors.ts): the console's CloudFront origin included.
    expect(origins.includes('*') || origins.some((o) => JSON.stringify(o) === JSON.stringify(consoleOrigin))).toBe(true);
    const [, authorizer] = ofType('AWS::ApiGatewayV2::Authorizer')[0]!;
    expect(authorizer.Properties!.JwtConfiguration.Audience).toContainEqual({ Ref: consoleClientId });
  });
});
