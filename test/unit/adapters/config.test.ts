import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../shared/adapters/config.js';
import { createCardPseudonymiser, loadCardHashKey } from '../../../shared/adapters/card-pseudonymiser.js';

describe('configuration', () => {
  it('defaults to local table names and no endpoint', () => {
    const c = loadConfig({});
    expect(c.tableNames).toEqual({
      vehicles: 'busflow-vehicles',
      telemetry: 'busflow-telemetry',
      network: 'busflow-network',
      tripOrders: 'busflow-trip-orders',
      routeContracts: 'busflow-route-contracts',
      journeys: 'busflow-journeys',
      reconciliations: 'busflow-reconciliations',
      rejects: 'busflow-rejects',
      travelTimes: 'busflow-travel-times',
      arrivals: 'busflow-arrivals',
      complaints: 'busflow-complaints',
    });
    expect(c.dynamodbEndpoint).toBeUndefined();
    expect(c.cardHashKey).toEqual({ kind: 'none' });
  });

  it('takes physical table names from the variables CDK sets', () => {
    expect(loadConfig({ TABLE_VEHICLES: 'Stack-Vehicles-ABC' }).tableNames.vehicles).toBe('Stack-Vehicles-ABC');
    expect(loadConfig({ TABLE_TRIP_ORDERS: 'Stack-Orders-1' }).tableNames.tripOrders).toBe('Stack-Orders-1');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ BUSFLOW_CARD_HASH_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ BUSFLOW_CARD_HASH_KEY: 'short' })).toThrow(/BUSFLOW_CARD_HASH_KEY/);
    expect(() => loadConfig({ BUSFLOW_DYNAMODB_ENDPOINT: 'not a url' })).toThrow(/BUSFLOW_DYNAMODB_ENDPOINT/);
  });

  it('refuses to start without a card hash key', async () => {
    await expect(loadCardHashKey({ kind: 'none' }, 'x')).rejects.toThrow(/no card hash key/);
  });
});

describe('card pseudonymiser', () => {
  it('is keyed: stable for one key, different under another, never the card number', () => {
    const a = createCardPseudonymiser('k'.repeat(32));
    const b = createCardPseudonymiser('j'.repeat(32));
    expect(a('9704000011112222')).toBe(a('9704000011112222'));
    expect(a('9704000011112222')).not.toBe(b('9704000011112222'));
    expect(a('9704000011112222')).not.toContain('9704');
    expect(a('9704000011112222')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
