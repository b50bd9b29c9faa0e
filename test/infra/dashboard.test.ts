/**
 * The operations dashboard and what it reads: every widget the runbook (docs/deploy.md) refers to, each metric
 * under the namespace, name and dimensions the functions emit (shared/adapters/metrics.ts), the access-log filters
 * behind "predictions served", and the alarms' states.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PREDICTION_ROUTES, WIDGET_TITLES } from '../../infra/constructs/dashboard.js';
import { PROJECT_ROOT } from '../../infra/constructs/names.js';
import { BusFlowStack } from '../../infra/stacks/busflow-stack.js';

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const stack = new BusFlowStack(app, 'BusFlow-prod', { stage: 'prod' });
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);

/** `{ Fn::Join: ['', [...]] }` → text, references as `${LogicalId}` / `${LogicalId.Attr}`. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

interface Widget {
  type: string;
  properties: { title: string; metrics?: unknown[][]; alarms?: string[]; stacked?: boolean };
}
const dashboards = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
const body = JSON.parse(flatten(dashboards[0]!.Properties.DashboardBody)) as { widgets: Widget[] };
const widget = (title: string) => {
  const found = body.widgets.filter((w) => w.properties.title === title);
  expect(found, title).toHaveLength(1);
  return found[0]!;
};
/** A graph's metrics as `namespace metric dim=value …` (options left out). */
const metricsOf = (title: string) =>
  (widget(title).properties.metrics ?? []).map((m) => {
    const parts = m.filter((p) => typeof p === 'string') as string[];
    const [namespace, name, ...dims] = parts;
    const pairs = [];
    for (let i = 0; i < dims.length; i += 2) pairs.push(`${dims[i]}=${dims[i + 1]}`);
    return [namespace, name, ...pairs.sort()].join(' ');
  });
const statsOf = (title: string) => (widget(title).properties.metrics ?? []).map((m) => (m.at(-1) as { stat?: string }).stat);

const ingestFnId = logicalId(stack.ingestion.functions.get('ingestTelemetry')!.fn);
const streamId = logicalId(stack.ingestion.stream);
const apiId = logicalId(stack.api.httpApi);

describe('operations dashboard', () => {
  it('is one dashboard named after the stage stack', () => {
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties.DashboardName).toBe('BusFlow-prod-operations');
  });

  it('has exactly the widgets the runbook names, in order', () => {
    expect(body.widgets.map((w) => w.properties.title)).toEqual([
      'Alarms',
      'Ingest rate (per minute)',
      'Iterator age (ms, maximum)',
      'Rejects by code (per minute)',
      'Journeys recomputed',
      'Predictions served (requests answered 200)',
      'Reconciliation results (nightly, per operator)',
      'API latency (ms)',
      'API requests and errors',
    ]);
    expect(Object.values(WIDGET_TITLES).sort()).toEqual(body.widgets.map((w) => w.properties.title).sort());
  });

  it('shows the state of every alarm of the stack', () => {
    const alarmIds = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id]) => `\${${id}.Arn}`);
    expect(alarmIds.length).toBeGreaterThan(5);
    expect(widget('Alarms').type).toBe('alarm');
    expect([...widget('Alarms').properties.alarms!].sort()).toEqual(alarmIds.sort());
  });

  it('shows the ingest rate: records into the stream, GPS fixes and taps stored', () => {
    expect(metricsOf('Ingest rate (per minute)')).toEqual([
      `AWS/Kinesis IncomingRecords StreamName=\${${streamId}}`,
      'BusFlow GpsRecordsStored service=ingest-telemetry',
      'BusFlow TapsStored service=ingest-telemetry',
    ]);
    expect(statsOf('Ingest rate (per minute)')).toEqual(['Sum', 'Sum', 'Sum']);
  });

  it('shows the iterator age of the stream and of the ingest function, maximum', () => {
    expect(metricsOf('Iterator age (ms, maximum)')).toEqual([
      `AWS/Kinesis GetRecords.IteratorAgeMilliseconds StreamName=\${${streamId}}`,
      `AWS/Lambda IteratorAge FunctionName=\${${ingestFnId}}`,
    ]);
    expect(statsOf('Iterator age (ms, maximum)')).toEqual(['Maximum', 'Maximum']);
  });

  it('stacks the rejects by code, one line per code the ingest function can give', () => {
    expect(metricsOf('Rejects by code (per minute)')).toEqual(
      ['malformed-envelope', 'malformed-json', 'payload-too-large', 'unknown-topic', 'schema', 'busid-mismatch', 'implausible', 'processing-failed'].map(
        (code) => `BusFlow Rejects code=${code} service=ingest-telemetry`,
      ),
    );
    expect(widget('Rejects by code (per minute)').properties.stacked).toBe(true);
  });

  it('shows journeys recomputed on late data and at day end, and the trip orders closed', () => {
    expect(metricsOf('Journeys recomputed')).toEqual([
      'BusFlow JourneysRecomputed service=ingest-telemetry',
      'BusFlow DayEndTripsRecomputed service=job-close-service-day',
      'BusFlow TripOrdersClosed service=job-close-service-day',
    ]);
  });

  it('shows the nightly reconciliation outcomes', () => {
    expect(metricsOf('Reconciliation results (nightly, per operator)')).toEqual([
      'BusFlow ReconciliationsCreated service=job-reconcile-day',
      'BusFlow ReconciliationsUnchanged service=job-reconcile-day',
      'BusFlow ReconciliationsApproved service=job-reconcile-day',
    ]);
  });

  it('counts predictions served from the access log: 200 answers of the arrivals and trip-updates routes', () => {
    expect(metricsOf('Predictions served (requests answered 200)')).toEqual(['BusFlow ArrivalsServed', 'BusFlow TripUpdatesServed']);
    const filters = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter');
    expect(filters.map((f) => f.Properties.FilterPattern).sort()).toEqual(
      [
        '{ ($.routeKey = "GET /v1/stops/{stopId}/arrivals") && ($.status = "200") }',
        '{ ($.routeKey = "GET /v1/gtfs-rt/trip-updates") && ($.status = "200") }',
      ].sort(),
    );
    const accessLogsId = logicalId(stack.api.accessLogs);
    for (const f of filters) {
      expect(f.Properties.LogGroupName).toEqual({ Ref: accessLogsId });
      expect(f.Properties.MetricTransformations).toEqual([
        expect.objectContaining({ MetricNamespace: 'BusFlow', MetricValue: '1', DefaultValue: 0, MetricName: expect.stringMatching(/Served$/) }),
      ]);
    }
    expect(PREDICTION_ROUTES.map((r) => r.metricName)).toEqual(['ArrivalsServed', 'TripUpdatesServed']);
  });

  it('shows API latency percentiles and the 5xx and 4xx counts beside the requests', () => {
    expect(metricsOf('API latency (ms)')).toEqual([
      `AWS/ApiGateway Latency ApiId=\${${apiId}} Stage=$default`,
      `AWS/ApiGateway Latency ApiId=\${${apiId}} Stage=$default`,
      `AWS/ApiGateway IntegrationLatency ApiId=\${${apiId}} Stage=$default`,
    ]);
    expect(statsOf('API latency (ms)')).toEqual(['p50', 'p99', 'p99']);
    expect(metricsOf('API requests and errors')).toEqual([
      `AWS/ApiGateway 5xx ApiId=\${${apiId}} Stage=$default`,
      `AWS/ApiGateway 4xx ApiId=\${${apiId}} Stage=$default`,
      `AWS/ApiGateway Count ApiId=\${${apiId}} Stage=$default`,
    ]);
  });
});
