import { describe, expect, it } from 'vitest';
import { assertCallerOwns, scopedToCaller } from '../../../shared/domain/access/operator-scope.js';
import { Forbidden } from '../../../shared/domain/errors.js';

const sgb = { role: 'operator' as const, operatorId: 'SGB' };
const centre = { role: 'centre' as const };

describe('operator scope', () => {
  it("narrows an operator's filter to its own operator", () => {
    const dayFilter: { serviceDay: string; operatorId?: string } = { serviceDay: '2026-03-10' };
    expect(scopedToCaller(sgb, dayFilter, 'journeys')).toEqual({ serviceDay: '2026-03-10', operatorId: 'SGB' });
    expect(scopedToCaller(sgb, { operatorId: 'SGB' }, 'journeys')).toEqual({ operatorId: 'SGB' });
  });

  it("refuses an operator asking for another operator's data, naming the field", () => {
    expect(() => scopedToCaller(sgb, { operatorId: 'HTX' }, 'journeys')).toThrow(Forbidden);
    expect(() => scopedToCaller(sgb, { operatorId: 'HTX' }, 'journeys')).toThrow(/^operatorId: an operator sees only its own journeys \(SGB\)/);
    expect(() => assertCallerOwns(sgb, 'HTX', 'trip order T-1')).toThrow('trip order T-1 belongs to another operator');
  });

  it('leaves the centre free to see every operator, or one', () => {
    expect(scopedToCaller(centre, { operatorId: 'HTX' }, 'journeys')).toEqual({ operatorId: 'HTX' });
    expect(scopedToCaller(centre, {}, 'journeys')).toEqual({});
    expect(() => assertCallerOwns(centre, 'HTX', 'trip order T-1')).not.toThrow();
  });
});
