/**
 * Custom CloudWatch metrics (Powertools Metrics, embedded metric format in the logs): one namespace, and the
 * names the functions emit and the dashboard reads, defined once here so the two cannot drift apart.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'BusFlow';

/** Dimension of the per-code reject counts (besides Powertools' `service`). */
export const REJECT_CODE_DIMENSION = 'code';

export const metricNames = {
  gpsRecordsStored: 'GpsRecordsStored',
  gpsDuplicates: 'GpsDuplicates',
  tapsStored: 'TapsStored',
  rejects: 'Rejects',
  failedBuses: 'FailedBuses',
  unknownTripsAnnounced: 'UnknownTripsAnnounced',
  /** Buses whose journeys an ingest batch recomputed (late or out-of-order data). */
  journeysRecomputed: 'JourneysRecomputed',
  /** Trips performed recomputed by the day-end job. */
  dayEndTripsRecomputed: 'DayEndTripsRecomputed',
  tripOrdersClosed: 'TripOrdersClosed',
  /** The daily reconciliation's outcome per operator: a new statement version, nothing changed, already approved. */
  reconciliationsCreated: 'ReconciliationsCreated',
  reconciliationsUnchanged: 'ReconciliationsUnchanged',
  reconciliationsApproved: 'ReconciliationsApproved',
} as const;

/** The metrics of one function (`service` = its Powertools service name, a dimension of every metric). */
export function createMetrics(service: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
}

/** A count per reject code, each as its own metric with the code as a dimension (so the dashboard can stack them). */
export function addRejectsByCode(metrics: Metrics, rejectsByCode: Readonly<Record<string, number>>): void {
  for (const [code, count] of Object.entries(rejectsByCode)) {
    const single = metrics.singleMetric();
    single.addDimension(REJECT_CODE_DIMENSION, code);
    single.addMetric(metricNames.rejects, MetricUnit.Count, count);
  }
}

export { MetricUnit };
