import { describe, expect, it } from 'vitest';
import { mayPublish, maySubscribe } from '../../../infra/local/broker.js';
import { secretDigest, secretMatches, newDeviceSecret } from '../../../infra/local/device-credentials.js';

describe('local broker ACL (mirror of the IoT policy)', () => {
  it.each(['bus/B1/gps', 'bus/B1/gate', 'bus/B1/wifi', 'bus/B1/duty'])('lets B1 publish %s', (topic) => expect(mayPublish('B1', topic)).toBe(true));
  it.each(['bus/B2/gps', 'bus/B1/assignment', 'bus/B1/gps/x', 'stop/S1/arrivals', 'bus/B1', 'bus/B10/gps'])('refuses B1 publishing %s', (topic) =>
    expect(mayPublish('B1', topic)).toBe(false),
  );
  it('lets a bus subscribe only to its own assignment', () => {
    expect(maySubscribe('B1', 'bus/B1/assignment')).toBe(true);
    expect(maySubscribe('B1', 'bus/B2/assignment')).toBe(false);
    expect(maySubscribe('B1', 'bus/+/assignment')).toBe(false);
    expect(maySubscribe('B1', '#')).toBe(false);
  });
});

describe('device credentials', () => {
  it('matches only the secret that was issued', () => {
    const secret = newDeviceSecret();
    const digest = secretDigest(secret);
    expect(secretMatches(Buffer.from(secret), digest)).toBe(true);
    expect(secretMatches(Buffer.from(`${secret}x`), digest)).toBe(false);
    expect(newDeviceSecret()).not.toBe(secret);
  });
});
