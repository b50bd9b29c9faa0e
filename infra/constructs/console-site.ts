/**
 * The web console as a static site: a private S3 bucket read only by CloudFront (origin access control), HTTPS
 * only, security headers on every answer, app routes (`/board/S1`, `/orders`) answered with `index.html`. The
 * files are built at synth by the same `web/build.ts` as `npm start`, and uploaded with the `config.json` that
 * tells the app where the API is and how to sign in (Cognito's hosted UI).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type CfnFunction, Function as LambdaFunction, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { buildConsole } from '../../web/build.js';

/** What the console reads from `/config.json` on AWS (`web/src/config.ts`). */
export interface ConsoleSiteConfig {
  apiUrl: string;
  auth: { kind: 'cognito'; domain: string; clientId: string };
  tileUrl?: string;
  tileAttribution?: string;
}

const LOG_DAYS = 90;

export class ConsoleSite extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<id>.cloudfront.net`: the console's origin (CORS, Cognito callbacks). */
  readonly origin: string;
  private deployment: BucketDeployment | undefined;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL: the bucket must accept them.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(LOG_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the destination of the console bucket’s server access logs and of CloudFront’s standard logs; ' +
        'logging it into itself would loop. It is private (all public access blocked), TLS only, and keeps logs 90 days.',
    });

    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 's3/',
      // Rebuilt from the repository at every deploy: nothing to keep.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'BusFlow console: HSTS, CSP, no framing, no sniffing, same-origin referrer',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentSecurityPolicy: {
          // Scripts and styles only from the site (Leaflet is served from it too); the API and map tiles over HTTPS;
          // inline styles for the positions Leaflet and the console set on elements.
          contentSecurityPolicy:
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self' https:; " +
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'BusFlow web console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      // An app route is no object in the bucket (S3 answers 403 to CloudFront without list rights): the app's page.
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(10) })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: the console serves the public stop boards (passengers’ phones, including visitors on ' +
        'foreign SIM cards) as well as staff; staff data is behind Cognito sign-in and the API’s JWT authorizer.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF in front of the console: it serves only static, public files (the app itself); every data request ' +
        'goes to the API, which authenticates and throttles on its own stage. A WAF here would guard nothing secret.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The console uses the default *.cloudfront.net certificate until the city assigns it a domain; CloudFront then ' +
        'fixes the viewer TLS policy itself. With a custom domain the certificate is set with TLSv1.2_2021 as minimum.',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    new CfnOutput(this, 'ConsoleUrl', { description: 'The BusFlow web console', value: `${this.origin}/` });
  }

  /** Builds the console (web/build.ts) and uploads it with its `config.json`; CloudFront's copies are invalidated. */
  publish(config: ConsoleSiteConfig): BucketDeployment {
    if (this.deployment) throw new Error('the console is published once per stack');
    const built = buildConsole(mkdtempSync(join(tmpdir(), 'busflow-console-')));
    this.deployment = new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(built.outDir), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 256,
    });
    acknowledgeDeploymentFindings(this.deploymentHandler(), Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket));
    this.traceDeploymentHandler();
    return this.deployment;
  }

  /**
   * Active X-Ray tracing on the deployment Lambda too, so that every Lambda function of the stack is traced (a
   * failed upload shows in X-Ray like any other call); its X-Ray statement sits in a policy of its own.
   */
  private traceDeploymentHandler(): void {
    const handler = this.deploymentHandler();
    if (!(handler instanceof LambdaFunction) || !handler.role)
      throw new Error('the BucketDeployment handler is not a Function with a role: tracing would miss');
    (handler.node.defaultChild as CfnFunction).tracingConfig = { mode: Tracing.ACTIVE };
    const tracing = new Policy(this, 'TracingPolicy', {
      statements: [new PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });
    handler.role.attachInlinePolicy(tracing);
    Validations.of(tracing).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions; this policy of the console ' +
        'deployment Lambda holds nothing else.',
    });
  }

  /** The CDK-owned singleton Lambda that copies the files at deploy time (a child of the stack, not of this site). */
  deploymentHandler(): Construct {
    const handler = Stack.of(this)
      .node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))
      .at(0);
    if (!handler) throw new Error('BucketDeployment made no handler: the acknowledgements below would miss');
    return handler;
  }
}

/** The findings of the CDK-owned deployment Lambda, each said why, on that Lambda only. */
function acknowledgeDeploymentFindings(handler: Construct, bucketLogicalId: string): void {
  const role = 'The CDK-owned BucketDeployment Lambda runs only while CloudFormation deploys, to copy the built console';
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: `${role}; AWSLambdaBasicExecutionRole gives it CloudWatch Logs writes only.`,
  });
  const generated = `${role} from the CDK asset bucket into the console bucket. aws-cdk-lib generates its policy with grantRead / grantReadWrite`;
  for (const id of [
    'AwsSolutions-IAM5[Action::s3:GetBucket*]',
    'AwsSolutions-IAM5[Action::s3:GetObject*]',
    'AwsSolutions-IAM5[Action::s3:List*]',
    'AwsSolutions-IAM5[Action::s3:Abort*]',
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
    `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
  ]) {
    Validations.of(handler).acknowledge({ id, reason: `${generated}: the wildcards cover the objects of those two buckets only (prune deletes stale files).` });
  }
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `${role}; the one statement on * is cloudfront:CreateInvalidation / GetInvalidation, which it calls on the console distribution after the copy.`,
  });
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason: `${role}; its runtime is chosen by aws-cdk-lib (the Python runtime its bundled AWS CLI needs), not by BusFlow, and moves with aws-cdk-lib upgrades.`,
  });
}
