/** `VehiclePlates`: the plates arrivals name, read from the registry once and kept a few minutes. */
import { describe, expect, it } from 'vitest';
import { VehiclePlates } from '../../../shared/adapters/vehicle-plates.js';
import type { VehicleState } from '../../../shared/domain/vehicles/vehicle-state.js';

function registry(plates: Record<string, string>) {
  const reads: string[][] = [];
  return {
    reads,
    getMany: async (busIds: readonly string[]) => {
      reads.push([...busIds]);
      return new Map(busIds.filter((id) => plates[id]).map((id): [string, VehicleState] => [id, { busId: id, version: 1, plate: plates[id]! }]));
    },
  };
}

describe('VehiclePlates', () => {
  it('reads only the buses it does not know yet, and keeps a bus the registry does not know as without plate', async () => {
    let now = 0;
    const r = registry({ B1: '51B-001.00', B2: '51B-002.00' });
    const plates = new VehiclePlates(r, () => now);
    expect(await plates.of(['B1', 'B9', 'B1'])).toEqual(new Map([['B1', '51B-001.00']]));
    now = 60_000;
    expect(await plates.of(['B1', 'B2', 'B9'])).toEqual(
      new Map([
        ['B1', '51B-001.00'],
        ['B2', '51B-002.00'],
      ]),
    );
    expect(r.reads).toEqual([['B1', 'B9'], ['B2']]);
  });

  it('reads a plate again once it is five minutes old', async () => {
    let now = 0;
    const r = registry({ B1: '51B-001.00' });
    const plates = new VehiclePlates(r, () => now);
    await plates.of(['B1']);
    now = 299_999;
    await plates.of(['B1']);
    now = 300_000;
    await plates.of(['B1']);
    expect(r.reads).toEqual([['B1'], ['B1']]);
  });

  it('asks nothing of the registry for no buses', async () => {
    const r = registry({});
    expect(await new VehiclePlates(r).of([])).toEqual(new Map());
    expect(r.reads).toEqual([]);
  });
});
