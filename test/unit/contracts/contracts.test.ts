import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import {
  type RouteContract,
  type RouteContractInput,
  contractInForce,
  contractSetIssues,
  departureWindowS,
  parseContractSet,
  routeContractSchema,
  unitCostAt,
  unitCostFor,
} from '../../../shared/domain/contracts/contracts.js';

const base: RouteContractInput = {
  routeId: 'R1',
  operatorId: 'SB',
  subsidised: true,
  type: 'gross-cost',
  unitCostVnd: 1_000_000,
  departureToleranceMin: { earlyMin: -1, lateMin: 5 },
  lateLimitMin: 15,
  minStopShareComplete: 0.9,
  minStopSharePartial: 0.6,
  partialPaidShare: 0.5,
  penaltyPerSkippedStopVnd: 20_000,
  penaltyPerLateTripVnd: 100_000,
  effectiveFrom: '2026-01-01',
};
const contract = (over: Partial<RouteContractInput> = {}): RouteContract => routeContractSchema.parse({ ...base, ...over });

describe('contractInForce', () => {
  const v1 = contract({ effectiveFrom: '2026-01-01', unitCostVnd: 1_000_000 });
  const v2 = contract({ effectiveFrom: '2026-07-01', unitCostVnd: 1_100_000, operatorId: 'PT' });
  const other = contract({ routeId: 'R2', effectiveFrom: '2025-01-01' });
  const all = [v2, other, v1]; // any order

  it.each([
    ['before the first version', '2025-12-31', undefined],
    ['on the first effective day', '2026-01-01', v1],
    ['between versions', '2026-06-30', v1],
    ['on the boundary day of the later version', '2026-07-01', v2],
    ['long after', '2030-01-01', v2],
  ])('picks the version in force %s (%s)', (_name, day, want) => {
    expect(contractInForce(all, 'R1', day)).toBe(want);
  });

  it('knows nothing of a route without contract', () => {
    expect(contractInForce(all, 'R9', '2026-08-01')).toBeUndefined();
    expect(contractInForce([], 'R1', '2026-08-01')).toBeUndefined();
  });
});

describe('unit cost by time band', () => {
  const banded = contract({
    unitCostVnd: 1_000_000,
    unitCostBands: [
      { from: '06:00', to: '09:00', unitCostVnd: 1_300_000 }, // morning peak
      { from: '16:00', to: '19:00', unitCostVnd: 1_250_000 }, // evening peak
      { from: '22:00', to: '05:00', unitCostVnd: 900_000 }, // night, wrapping midnight
    ],
  });

  it.each([
    ['05:59', 1_000_000],
    ['06:00', 1_300_000],
    ['08:59', 1_300_000],
    ['09:00', 1_000_000], // bands are half-open
    ['17:30', 1_250_000],
    ['21:59', 1_000_000],
    ['22:00', 900_000],
    ['00:30', 900_000],
    ['04:59', 900_000],
    ['05:00', 1_000_000],
    ['07:15:30', 1_300_000],
  ])('at %s costs %i VND', (time, vnd) => {
    expect(unitCostFor(banded, time)).toBe(vnd);
  });

  it('takes service-day seconds, past 24:00 included', () => {
    expect(unitCostFor(banded, 6 * 3600)).toBe(1_300_000);
    expect(unitCostFor(banded, 24 * 3600 + 30 * 60)).toBe(900_000); // 24:30 = 00:30
    expect(unitCostFor(banded, 12 * 3600)).toBe(1_000_000);
  });

  it('reads an instant in local time (UTC+7)', () => {
    expect(unitCostAt(banded, Date.parse('2026-11-25T23:30:00Z'))).toBe(1_300_000); // 06:30 local
    expect(unitCostAt(banded, Date.parse('2026-11-26T17:30:00Z'))).toBe(900_000); // 00:30 local
  });

  it('charges the flat rate without bands, and rejects a malformed time', () => {
    expect(unitCostFor(contract(), '07:00')).toBe(1_000_000);
    expect(() => unitCostFor(contract(), '7h')).toThrow(ValidationError);
  });

  it('gives the departure window in seconds', () => {
    expect(departureWindowS(contract())).toEqual({ earlyS: -60, lateS: 300 });
  });
});

describe('contract set validation', () => {
  it('accepts a valid set and applies defaults', () => {
    const set = parseContractSet([base, { ...base, effectiveFrom: '2026-07-01' }, { ...base, routeId: 'R2' }]);
    expect(set).toHaveLength(3);
    expect(set[0]!.unitCostBands).toEqual([]);
  });

  it.each([
    ['a fractional VND amount', 'contracts[0].unitCostVnd', { unitCostVnd: 1_000_000.5 }],
    ['a negative penalty', 'contracts[0].penaltyPerLateTripVnd', { penaltyPerLateTripVnd: -1 }],
    ['a fractional band cost', 'contracts[0].unitCostBands[0].unitCostVnd', { unitCostBands: [{ from: '06:00', to: '09:00', unitCostVnd: 1.5 }] }],
    ['a share above 1', 'contracts[0].partialPaidShare', { partialPaidShare: 1.2 }],
    ['a share below 0', 'contracts[0].minStopShareComplete', { minStopShareComplete: -0.1 }],
    ['a partial threshold above the complete one', 'contracts[0].minStopSharePartial', { minStopSharePartial: 0.95 }],
    ['a positive early tolerance', 'contracts[0].departureToleranceMin.earlyMin', { departureToleranceMin: { earlyMin: 1, lateMin: 5 } }],
    ['a late limit inside the tolerance', 'contracts[0].lateLimitMin', { lateLimitMin: 3 }],
    ['a bid discount above 1', 'contracts[0].bidDiscountShare', { bidDiscountShare: 1.2 }],
    ['performance terms with no term', 'contracts[0].performanceTerms', { performanceTerms: {} }],
    [
      'an on-time minimum above 1',
      'contracts[0].performanceTerms.onTimeDeparture.minShare',
      { performanceTerms: { onTimeDeparture: { minShare: 95, deductionShare: 0.05 } } },
    ],
    [
      'no timing point',
      'contracts[0].performanceTerms.excessWaitTime.timingPoints.stopIds',
      { performanceTerms: { excessWaitTime: { thresholdMin: 1.5, deductionShare: 0.02, timingPoints: { stopIds: [] } } } },
    ],
    ['an unknown contract type', 'contracts[0].type', { type: 'cost-plus' }],
    ['a malformed effective date', 'contracts[0].effectiveFrom', { effectiveFrom: '2026-13-01' }],
    ['a malformed band time', 'contracts[0].unitCostBands[0].from', { unitCostBands: [{ from: '6:00', to: '09:00', unitCostVnd: 1 }] }],
    ['an empty band', 'contracts[0].unitCostBands[0].to', { unitCostBands: [{ from: '06:00', to: '06:00', unitCostVnd: 1 }] }],
    [
      'overlapping bands',
      'contracts[0].unitCostBands[1]',
      {
        unitCostBands: [
          { from: '22:00', to: '05:00', unitCostVnd: 1 },
          { from: '04:00', to: '06:00', unitCostVnd: 2 },
        ],
      },
    ],
  ])('rejects %s, naming %s', (_name, field, patch) => {
    const issues = contractSetIssues([{ ...base, ...patch }]);
    expect(issues.map((i) => i.field)).toEqual([field]);
  });

  it('rejects two versions of a route with the same effectiveFrom, naming the second', () => {
    const issues = contractSetIssues([base, { ...base, routeId: 'R2' }, { ...base, unitCostVnd: 5 }]);
    expect(issues).toEqual([{ field: 'contracts[2].effectiveFrom', message: 'route R1 already has a version effective from 2026-01-01 (contracts[0])' }]);
  });

  it('throws every issue at once, under the given prefix', () => {
    let err: ValidationError | undefined;
    try {
      parseContractSet(
        [
          { ...base, unitCostVnd: -5 },
          { ...base, partialPaidShare: 2 },
        ],
        'routeContracts',
      );
    } catch (e) {
      err = e as ValidationError;
    }
    expect(err?.issues.map((i) => i.field)).toEqual(['routeContracts[0].unitCostVnd', 'routeContracts[1].partialPaidShare', 'routeContracts[1].effectiveFrom']);
    expect(() => parseContractSet({})).toThrow(ValidationError);
  });
});

describe('bid discount and performance terms', () => {
  it('default to no discount and no terms', () => {
    const c = contract();
    expect(c.bidDiscountShare).toBe(0);
    expect(c.performanceTerms).toBeUndefined();
  });

  it('accept a bid discount, an on-time term and an excess-wait-time term with named or ruled timing points', () => {
    const c = contract({
      bidDiscountShare: 0.2,
      performanceTerms: {
        onTimeDeparture: { minShare: 0.85, deductionShare: 0.02 },
        excessWaitTime: { thresholdMin: 1.5, deductionShare: 0.03, timingPoints: { stopIds: ['S1', 'S9'] } },
      },
    });
    expect(c.bidDiscountShare).toBe(0.2);
    expect(c.performanceTerms?.excessWaitTime?.minBusesPerHour).toBe(5);
    expect(
      contract({ performanceTerms: { excessWaitTime: { thresholdMin: 2, deductionShare: 0.03, timingPoints: { rule: 'quartiles' } } } }).performanceTerms
        ?.excessWaitTime?.timingPoints,
    ).toEqual({ rule: 'quartiles' });
  });
});

describe('the sample contracts', () => {
  it('parse, with a late limit beyond the tolerance (late up to it, not accepted after it)', () => {
    const { contracts } = JSON.parse(readFileSync(join(SAMPLE_NETWORK_DIR, 'contracts.json'), 'utf8')) as { contracts: unknown[] };
    const set = parseContractSet(contracts);
    for (const c of set) expect(c.lateLimitMin).toBeGreaterThan(c.departureToleranceMin.lateMin);
  });
});
