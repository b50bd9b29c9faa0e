import { describe, expect, it } from 'vitest';
import { decodeStopTimes, encodeStopTimes } from '../../../shared/adapters/dynamodb/network-codec.js';

describe('network codec', () => {
  it('round-trips stop times, even with commas in a stop id and times past midnight', () => {
    const stopTimes = [
      { stopId: 'S,1', stopSequence: 1, arrivalS: 86_000, departureS: 86_020, distanceM: 0, pickupType: 0, dropOffType: 1, timepoint: true },
      { stopId: 'S2', stopSequence: 2, arrivalS: 90_061, departureS: 90_081, distanceM: 512.3, pickupType: 3, dropOffType: 0, timepoint: false },
    ];
    expect(decodeStopTimes(encodeStopTimes(stopTimes))).toEqual(stopTimes);
  });
});
