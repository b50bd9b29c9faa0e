import { describe, expect, it } from 'vitest';
import { faultProfiles, parseFaultProfile } from '../../../simulator/core/faults.js';
import { Rng } from '../../../simulator/core/rng.js';

describe('Rng', () => {
  it('repeats for the same seed and label, and differs otherwise', () => {
    const draw = (r: Rng) => Array.from({ length: 5 }, () => r.next());
    expect(draw(new Rng(7, 'a'))).toEqual(draw(new Rng(7, 'a')));
    expect(draw(new Rng(7, 'a'))).not.toEqual(draw(new Rng(8, 'a')));
    expect(draw(new Rng(7, 'a'))).not.toEqual(draw(new Rng(7, 'b')));
  });

  it('gives a child stream that does not depend on what the parent drew', () => {
    const a = new Rng(1, 'x');
    const b = new Rng(1, 'x');
    b.next();
    b.next();
    expect(a.child('bus').next()).toBe(b.child('bus').next());
  });

  it('draws Poisson counts with the asked mean', () => {
    const r = new Rng(3);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += r.poisson(2.5);
    expect(sum / n).toBeGreaterThan(2.4);
    expect(sum / n).toBeLessThan(2.6);
  });
});

describe('fault profiles', () => {
  it('names the built-in profiles', () => {
    expect(parseFaultProfile('none')).toEqual(faultProfiles.none);
    expect(parseFaultProfile('harsh').gpsNoiseM).toBeGreaterThan(parseFaultProfile('default').gpsNoiseM);
  });

  it('overrides settings on top of default', () => {
    const p = parseFaultProfile('gpsNoiseM=3,dropoutRate=0.1');
    expect(p).toEqual({ ...faultProfiles.default, gpsNoiseM: 3, dropoutRate: 0.1 });
  });

  it('names the bad part of a profile', () => {
    expect(() => parseFaultProfile('gpsNoise=3')).toThrow(/unknown fault setting "gpsNoise=3"/);
    expect(() => parseFaultProfile('dropoutRate=abc')).toThrow(/needs a number/);
    expect(() => parseFaultProfile('dropoutRate=2')).toThrow(/dropoutRate/);
  });
});
