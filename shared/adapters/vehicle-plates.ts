/**
 * The licence plates of buses, as arrivals name them: read from the registry on first use and kept a few
 * minutes, so a stop's arrivals cost no registry read per request (a plate changes when a bus is re-registered,
 * which is rare and may show minutes late).
 */
import type { DynamoVehicleRepository } from './dynamodb/vehicle-repository.js';

const KEEP_MS = 5 * 60_000;
/** Beyond this many buses the oldest reads are dropped: a Lambda's memory stays bounded. */
const MAX_BUSES = 20_000;

export class VehiclePlates {
  private readonly known = new Map<string, { atMs: number; plate: string | undefined }>();

  constructor(
    private readonly vehicles: Pick<DynamoVehicleRepository, 'getMany'>,
    /** Wall time for the cache's age (not transit time). */
    private readonly now: () => number = Date.now,
  ) {}

  /** The plate of each bus the registry knows (a bus it does not know has none). */
  async of(busIds: readonly string[]): Promise<Map<string, string>> {
    const nowMs = this.now();
    const missing = [...new Set(busIds)].filter((busId) => {
      const k = this.known.get(busId);
      return !k || nowMs - k.atMs >= KEEP_MS;
    });
    if (missing.length) {
      const read = await this.vehicles.getMany(missing);
      for (const busId of missing) {
        this.known.delete(busId);
        this.known.set(busId, { atMs: nowMs, plate: read.get(busId)?.plate });
      }
      // A Map iterates in insertion order: the first keys are the oldest reads.
      for (const busId of this.known.keys()) {
        if (this.known.size <= MAX_BUSES) break;
        this.known.delete(busId);
      }
    }
    const out = new Map<string, string>();
    for (const busId of busIds) {
      const plate = this.known.get(busId)?.plate;
      if (plate !== undefined) out.set(busId, plate);
    }
    return out;
  }
}
