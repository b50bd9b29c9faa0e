import { describe, expect, it } from 'vitest';
import { formatProgress } from '../../../simulator/output/report.js';

describe('progress line', () => {
  const p = {
    simTimeMs: Date.parse('2026-03-10T00:42:00Z'),
    startMs: Date.parse('2026-03-09T22:00:00Z'),
    endMs: Date.parse('2026-03-10T06:00:00Z'),
    activeBuses: 38,
    messages: 12_345,
    messagesPerS: 1020.4,
  };

  it('shows the simulated time local to the network', () => {
    expect(formatProgress(p, 'Asia/Ho_Chi_Minh')).toBe('07:42 (34%) · 38 buses · 12,345 messages · 1,020 msg/s');
    expect(formatProgress(p, 'Europe/Paris')).toMatch(/^01:42 /);
  });
});
