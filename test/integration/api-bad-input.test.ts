/**
 * Bad input at the API never reaches the database: every operation of the OpenAPI document, every path and query
 * parameter and every field of the JSON body, given values that are too long, empty, control characters,
 * non-ASCII or of the wrong type, with a token of the right role, is answered 4xx problem+json — never 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBus } from '../../infra/local/register-bus.js';
import { forEachLimit } from '../../shared/kernel/util/concurrency.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  maxLength?: number;
  pattern?: string;
  format?: string;
};
interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}
interface Operation {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  'x-busflow-roles'?: string[];
  security?: unknown[];
}
interface Attempt {
  op: string;
  role: string;
  what: string;
  method: string;
  path: string;
  body?: string;
}

const SERVICE_DAY = '2026-11-26';
const OPERATOR = 'OP1';
const BUS = 'OP1-R1-01';

/** Values thrown at every string: too long for any key, empty, control characters, non-ASCII, a number as text. */
const BAD_TEXT: [string, string][] = [
  ['3,000 characters', 'A'.repeat(3000)],
  ['empty', ''],
  ['NUL', 'R1\u0000'],
  ['a newline', 'R1\nR2'],
  ['Vietnamese with diacritics', 'Tuyến số 1 – Bến Thành'],
  ['an emoji', '🚌'],
  ['a number', '12345'],
  ['a key separator', 'R1#FROM#2026-11-26'],
  ['a sealed-looking value with a non-ASCII seal', `e30.${'ệ'.repeat(22)}`],
];
/** What a JSON body may hold instead of a string, an object or anything else: also sent as the whole body. */
const WRONG_TYPES: [string, Json][] = [
  ['a number value', 12345],
  ['an array', ['R1']],
  ['an object', { id: 'R1' }],
  ['null', null],
  ['true', true],
];
const BAD_JSON: [string, Json][] = [...BAD_TEXT, ...WRONG_TYPES];

let stack: TestStack;
let doc: { paths: Record<string, Record<string, Operation>> };
const tokens = new Map<string, string>();
/** Valid values of path and query parameters, by name: the others keep these while one is being spoilt. */
const validParams: Record<string, string> = {
  serviceDay: SERVICE_DAY,
  endDay: SERVICE_DAY,
  days: '7',
  operatorId: OPERATOR,
  routeId: 'R1',
  busId: BUS,
  status: 'issued',
  limit: '10',
  cursor: '', // optional: sent only when spoilt
  earlyMin: '-1',
  lateMin: '5',
  table: 'trips_performed',
  id: '', // an existing order, set once created
  // The public network routes (this stack has no network: known ids answer 404).
  stopId: 'BTH',
  near: '10.7716,106.6983',
  radius: '500',
  q: 'ben thanh',
  minutesAfter: '0',
  format: 'json',
  month: SERVICE_DAY.slice(0, 7),
  version: '1',
  from: '1',
  to: '1',
  fromDay: SERVICE_DAY,
  toDay: SERVICE_DAY,
  lang: 'en',
  verdict: 'confirmed-skipped',
};

const contract = {
  routeId: 'R1',
  operatorId: OPERATOR,
  subsidised: true,
  type: 'net-cost',
  unitCostVnd: 1_150_000,
  unitCostBands: [{ from: '06:00', to: '09:00', unitCostVnd: 1_350_000 }],
  departureToleranceMin: { earlyMin: -1, lateMin: 5 },
  lateLimitMin: 15,
  minStopShareComplete: 0.9,
  minStopSharePartial: 0.5,
  partialPaidShare: 0.5,
  penaltyPerSkippedStopVnd: 50_000,
  penaltyPerLateTripVnd: 100_000,
  effectiveFrom: '2026-01-01',
};
const order = (orderNumber: string) => ({
  orderNumber,
  serviceDay: SERVICE_DAY,
  operatorId: OPERATOR,
  routeId: 'R1',
  vehicle: { busId: BUS, plate: '51B-123.45' },
  driver: { driverId: 'DRV-1', name: 'Nguyễn Văn An' },
  staff: [{ role: 'conductor', staffId: 'CDT-1', name: 'Trần Thị Bình' }],
  trips: [{ sequence: 1, tripId: 'R1-0-0600', directionId: 0, plannedDeparture: '2026-11-25T23:00:00.000Z' }],
});
/** A valid body of every operation that takes one: each field in turn is spoilt from it. */
const validBodies: Record<string, Json> = {
  createTripOrder: { ...order('LVC-2'), issue: false },
  createTripOrders: { orders: [order('LVC-3')] },
  amendTripOrder: {
    reason: 'bus broke down',
    vehicle: { busId: BUS, plate: '51B-123.45' },
    driver: { driverId: 'DRV-2', name: 'Lê Văn Cường' },
    staff: [{ role: 'attendant', staffId: 'ATT-1' }],
    trips: order('x').trips,
  },
  cancelTripOrder: { reason: 'no driver' },
  confirmTrip: { tripSequence: 1, kind: 'departure', at: '2026-11-25T23:01:00.000Z', stopId: 'BX-1', confirmedBy: 'STAFF-1' },
  putRouteContracts: { contracts: [contract] },
  runReconciliation: { serviceDay: SERVICE_DAY, operatorId: OPERATOR },
  resolveReconciliationLine: { lineId: 'ORDER-1#1', decision: 'completed', reason: 'the terminal log shows the departure' },
  approveReconciliation: { version: 1 },
  reopenReconciliation: { reason: 'late telemetry from the depot' },
  createComplaint: {
    kind: 'skipped-stop',
    routeId: 'R1',
    plate: '51B-123.45',
    busId: BUS,
    stopId: 'BTH',
    at: '2026-03-10T02:00:00.000Z',
    description: 'Xe không dừng ở trạm, tôi phải chờ chuyến sau.',
    reference: '1022-2026-0001',
  },
  recordAdvance: { operatorId: OPERATOR, month: SERVICE_DAY.slice(0, 7), amountVnd: 50_000_000, paidOn: '2026-11-05', reference: 'UNC-2026-11-01' },
};

async function call(method: string, path: string, token?: string, body?: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${stack.http!.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

function operations(): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
}

function rolesOf(op: Operation): string[] {
  return op.security?.length === 0 ? ['public'] : (op['x-busflow-roles'] ?? []);
}

/** The operation's URL with valid path and required query parameters, and `spoilt` in place of one of them. */
function urlOf(path: string, op: Operation, spoilt?: { name: string; value: string }): string {
  let url = path;
  const query = new URLSearchParams();
  for (const p of op.parameters) {
    const value = p.name === spoilt?.name ? spoilt.value : validParams[p.name];
    if (value === undefined) throw new Error(`no valid value for parameter ${p.name} of ${op.operationId}: add it to validParams`);
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(value));
    else if (p.required || p.name === spoilt?.name) query.set(p.name, value);
  }
  const qs = query.toString();
  return qs ? `${url}?${qs}` : url;
}

/** The field paths a body schema describes: its properties, nested objects and the first item of arrays. */
function fieldPaths(schema: JsonSchema, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (const variant of [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    for (const [name, prop] of Object.entries(variant.properties ?? {})) {
      out.push([...prefix, name], ...fieldPaths(prop, [...prefix, name]));
    }
    if (variant.items) out.push(...fieldPaths(variant.items, [...prefix, 0]));
  }
  return out;
}

function withValue(body: Json, path: (string | number)[], value: Json): Json {
  const copy = structuredClone(body) as Record<string | number, Json>;
  let at: Record<string | number, Json> = copy;
  for (const key of path.slice(0, -1)) {
    if (at[key] === null || typeof at[key] !== 'object') at[key] = typeof key === 'number' ? [] : {};
    at = at[key] as Record<string | number, Json>;
  }
  at[path.at(-1)!] = value;
  return copy;
}

beforeAll(async () => {
  stack = await startTestStack({ http: true });
  const issuer = stack.http!.issuer;
  tokens.set('centre', await issuer.sign({ role: 'centre' }));
  tokens.set('operator', await issuer.sign({ role: 'operator', operatorId: OPERATOR }));
  doc = JSON.parse((await call('GET', '/v1/openapi.json')).text);
  await registerBus(stack.vehicles, { busId: BUS, operatorId: OPERATOR, plate: '51B-123.45' });
  expect((await call('PUT', '/v1/route-contracts', tokens.get('centre'), JSON.stringify({ contracts: [contract] }))).status).toBe(200);
  const created = await call('POST', '/v1/trip-orders', tokens.get('operator'), JSON.stringify({ ...order('LVC-1'), issue: true }));
  expect(created.status, created.text).toBe(201);
  validParams.id = JSON.parse(created.text).id;
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('bad input at the API', () => {
  it('bounds every string parameter of the OpenAPI document in length and characters', () => {
    // A pattern bounds both when it is anchored and its repetition has a maximum (`^[A-Za-z0-9_-]{1,64}$`).
    const boundedPattern = (p: string | undefined) => !!p && /^\^.*\{\d+,\d+\}\$$/.test(p);
    const bounded = (s: JsonSchema) => !!s.enum || s.format === 'date' || boundedPattern(s.pattern) || (s.maxLength !== undefined && !!s.pattern);
    const unbounded = operations().flatMap(({ op }) =>
      op.parameters.filter((p) => p.schema.type === 'string' && !bounded(p.schema)).map((p) => `${op.operationId}.${p.name}`),
    );
    expect(unbounded).toEqual([]);
  });

  it('has a valid body for every operation that takes one', () => {
    const missing = operations()
      .filter(({ op }) => op.requestBody && !(op.operationId in validBodies))
      .map(({ op }) => op.operationId);
    expect(missing).toEqual([]);
  });

  it('refuses a 3,000-character routeId of the route contracts with 400 naming the field', async () => {
    const res = await call('GET', `/v1/route-contracts?routeId=${'A'.repeat(3000)}`, tokens.get('centre'));
    expect(res.status, res.text).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(JSON.parse(res.text).field).toBe('routeId');
  });

  it('leaves to the gateway what matches no route or cannot be decoded: an empty or malformed path value', async () => {
    const empty = await call('POST', '/v1/trip-orders//issue', tokens.get('operator'));
    expect(empty.status).toBe(404);
    const malformed = await call('GET', '/v1/trip-orders/%E0%A4%A', tokens.get('centre'));
    expect(malformed.status, malformed.text).toBe(400);
  });

  it('answers every spoilt parameter and body field of every operation without a 5xx, and every 4xx as problem+json', async () => {
    const attempts: Attempt[] = [];
    for (const { method, path, op } of operations()) {
      for (const role of rolesOf(op)) {
        for (const p of op.parameters) {
          for (const [what, value] of BAD_TEXT) {
            if (p.in === 'path' && value === '') continue; // an empty segment matches no route: the gateway's own 404
            attempts.push({ op: op.operationId, role, what: `${p.in} ${p.name}: ${what}`, method, path: urlOf(path, op, { name: p.name, value }) });
          }
        }
        const schema = op.requestBody?.content['application/json'].schema;
        const valid = validBodies[op.operationId];
        if (!schema || valid === undefined) continue;
        const url = urlOf(path, op);
        for (const [what, value] of WRONG_TYPES)
          attempts.push({ op: op.operationId, role, what: `body: ${what}`, method, path: url, body: JSON.stringify(value) });
        for (const field of fieldPaths(schema)) {
          for (const [what, value] of BAD_JSON) {
            attempts.push({
              op: op.operationId,
              role,
              what: `body ${field.join('.')}: ${what}`,
              method,
              path: url,
              body: JSON.stringify(withValue(valid, field, value)),
            });
          }
        }
      }
    }
    expect(attempts.length).toBeGreaterThan(500);

    const failures: string[] = [];
    await forEachLimit(attempts, 8, async (a) => {
      const res = await call(a.method, a.path, tokens.get(a.role), a.body);
      const problem = res.type === 'application/problem+json';
      if (res.status >= 500 || (res.status >= 400 && !problem)) failures.push(`${a.op} as ${a.role}, ${a.what} → ${res.status} ${res.text.slice(0, 200)}`);
    });
    expect(failures).toEqual([]);
  }, 60_000);
});
