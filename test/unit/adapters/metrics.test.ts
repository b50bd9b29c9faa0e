/**
 * The custom metrics as CloudWatch reads them (embedded metric format on stdout): the namespace, names and
 * dimensions must be exactly those the dashboard graphs (test/infra/dashboard.test.ts), or its lines stay empty.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addRejectsByCode, createMetrics, metricNames, MetricUnit } from '../../../shared/adapters/metrics.js';

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [field: string]: unknown;
}

function captureEmf(run: () => void): Emf[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Emf);
}

afterEach(() => vi.restoreAllMocks());

describe('custom metrics', () => {
  it('emits one Rejects count per code, with the service and the code as dimensions', () => {
    const metrics = createMetrics('ingest-telemetry');
    const emitted = captureEmf(() => addRejectsByCode(metrics, { schema: 2, implausible: 1 }));
    expect(emitted).toHaveLength(2);
    for (const emf of emitted) {
      expect(emf._aws.CloudWatchMetrics).toEqual([{ Namespace: 'BusFlow', Dimensions: [['service', 'code']], Metrics: [{ Name: 'Rejects', Unit: 'Count' }] }]);
      expect(emf.service).toBe('ingest-telemetry');
    }
    expect(emitted.map((e) => [e.code, e.Rejects])).toEqual([
      ['schema', 2],
      ['implausible', 1],
    ]);
  });

  it('emits nothing per code for a batch without rejects', () => {
    expect(captureEmf(() => addRejectsByCode(createMetrics('ingest-telemetry'), {}))).toEqual([]);
  });

  it('publishes a function metric under the BusFlow namespace with the service dimension only', () => {
    const metrics = createMetrics('job-reconcile-day');
    metrics.addMetric(metricNames.reconciliationsCreated, MetricUnit.Count, 3);
    const [emf, ...rest] = captureEmf(() => metrics.publishStoredMetrics());
    expect(rest).toEqual([]);
    expect(emf!._aws.CloudWatchMetrics).toEqual([
      { Namespace: 'BusFlow', Dimensions: [['service']], Metrics: [{ Name: 'ReconciliationsCreated', Unit: 'Count' }] },
    ]);
    expect(emf).toMatchObject({ service: 'job-reconcile-day', ReconciliationsCreated: 3 });
  });
});
