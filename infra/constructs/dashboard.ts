/**
 * The operations dashboard: one CloudWatch dashboard per stage with what an operator on duty looks at — the
 * alarms' states, telemetry coming in and how far behind the stream is, what is refused and why, journeys
 * recomputed, predictions served, the API's latency and errors, and the nightly reconciliation. The custom
 * metrics are the ones the functions emit (shared/adapters/metrics.ts); predictions served are counted from the
 * API's access log, which already has one line per request.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard, GraphWidget, type IAlarm, type IMetric, Metric, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { allApiRoutes, routeKey } from '../../shared/api/index.js';
import { METRICS_NAMESPACE, metricNames, REJECT_CODE_DIMENSION } from '../../shared/adapters/metrics.js';
import { functions } from '../../shared/catalogue/index.js';
import { REJECT_CODES } from '../../shared/domain/telemetry/reject.js';
import { serviceName } from './catalogue-function.js';

const PERIOD = Duration.minutes(1);

/** The routes that answer with predictions, and the metric their successful requests are counted in. */
export const PREDICTION_ROUTES = [
  { routeId: 'getStopArrivals', metricName: 'ArrivalsServed' },
  { routeId: 'gtfsRtTripUpdates', metricName: 'TripUpdatesServed' },
] as const;

/** Widget titles, in the order they appear (tests and docs/deploy.md refer to them). */
export const WIDGET_TITLES = {
  alarms: 'Alarms',
  ingestRate: 'Ingest rate (per minute)',
  iteratorAge: 'Iterator age (ms, maximum)',
  rejects: 'Rejects by code (per minute)',
  journeys: 'Journeys recomputed',
  predictions: 'Predictions served (requests answered 200)',
  apiLatency: 'API latency (ms)',
  apiErrors: 'API requests and errors',
  reconciliation: 'Reconciliation results (nightly, per operator)',
} as const;

export interface OperationsDashboardProps {
  stream: IStream;
  /** The functions reading the stream: their own iterator age. */
  streamFunctions: readonly IFunction[];
  apiStage: IHttpStage;
  /** The API's access log (one JSON line per request, `routeKey` and `status` among its fields). */
  accessLogs: ILogGroup;
  alarms: readonly IAlarm[];
}

export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** The access-log filters behind "predictions served", by route id. */
  readonly predictionFilters = new Map<string, MetricFilter>();

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const ingest = serviceName(functions.ingestTelemetry);
    const closeDay = serviceName(functions.jobCloseServiceDay);
    const reconcile = serviceName(functions.jobReconcileDay);
    const custom = (metricName: string, service: string, label: string, extra: Record<string, string> = {}) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service, ...extra }, statistic: 'Sum', period: PERIOD, label });

    const predictions = PREDICTION_ROUTES.map(({ routeId, metricName }) => {
      const route = allApiRoutes.find((r) => r.id === routeId);
      if (!route) throw new Error(`prediction route ${routeId} is not in allApiRoutes`);
      const filter = new MetricFilter(this, `${metricName}Filter`, {
        logGroup: props.accessLogs,
        metricNamespace: METRICS_NAMESPACE,
        metricName,
        filterPattern: FilterPattern.all(FilterPattern.stringValue('$.routeKey', '=', routeKey(route)), FilterPattern.stringValue('$.status', '=', '200')),
        metricValue: '1',
        defaultValue: 0,
      });
      this.predictionFilters.set(routeId, filter);
      return filter.metric({ statistic: 'Sum', period: PERIOD, label: routeKey(route) });
    });

    const graph = (title: string, left: IMetric[], opts: { stacked?: boolean; right?: IMetric[] } = {}): IWidget =>
      new GraphWidget({ title, left, ...(opts.right ? { right: opts.right } : {}), stacked: opts.stacked ?? false, width: 8, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.hours(3),
      widgets: [
        [new AlarmStatusWidget({ title: WIDGET_TITLES.alarms, alarms: [...props.alarms], width: 24, height: 4 })],
        [
          graph(WIDGET_TITLES.ingestRate, [
            props.stream.metricIncomingRecords({ statistic: 'Sum', period: PERIOD, label: 'stream records in' }),
            custom(metricNames.gpsRecordsStored, ingest, 'GPS fixes stored'),
            custom(metricNames.tapsStored, ingest, 'taps stored'),
          ]),
          graph(WIDGET_TITLES.iteratorAge, [
            props.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: PERIOD, label: 'stream' }),
            ...props.streamFunctions.map((fn) => fn.metric('IteratorAge', { statistic: 'Maximum', period: PERIOD, label: 'ingest function' })),
          ]),
          graph(
            WIDGET_TITLES.rejects,
            REJECT_CODES.map((code) => custom(metricNames.rejects, ingest, code, { [REJECT_CODE_DIMENSION]: code })),
            { stacked: true },
          ),
        ],
        [
          graph(WIDGET_TITLES.journeys, [
            custom(metricNames.journeysRecomputed, ingest, 'buses recomputed on late data'),
            custom(metricNames.dayEndTripsRecomputed, closeDay, 'trips recomputed at day end'),
            custom(metricNames.tripOrdersClosed, closeDay, 'trip orders closed'),
          ]),
          graph(WIDGET_TITLES.predictions, predictions),
          graph(WIDGET_TITLES.reconciliation, [
            custom(metricNames.reconciliationsCreated, reconcile, 'new statement version'),
            custom(metricNames.reconciliationsUnchanged, reconcile, 'unchanged'),
            custom(metricNames.reconciliationsApproved, reconcile, 'already approved'),
          ]),
        ],
        [
          graph(WIDGET_TITLES.apiLatency, [
            props.apiStage.metricLatency({ statistic: 'p50', period: PERIOD, label: 'p50' }),
            props.apiStage.metricLatency({ statistic: 'p99', period: PERIOD, label: 'p99' }),
            props.apiStage.metricIntegrationLatency({ statistic: 'p99', period: PERIOD, label: 'integration p99' }),
          ]),
          graph(
            WIDGET_TITLES.apiErrors,
            [
              props.apiStage.metricServerError({ statistic: 'Sum', period: PERIOD, label: '5xx' }),
              props.apiStage.metricClientError({ statistic: 'Sum', period: PERIOD, label: '4xx' }),
            ],
            { right: [props.apiStage.metricCount({ statistic: 'Sum', period: PERIOD, label: 'requests' })] },
          ),
        ],
      ],
    });
  }
}
