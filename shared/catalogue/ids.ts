/**
 * The ids the API takes in paths, queries and bodies, each bounded once in length and characters. They become
 * parts of storage keys (`OP#{operatorId}#ROUTE#{routeId}#…`): DynamoDB refuses a key over 1 KiB (sort) or
 * 2 KiB (partition), and `#` separates the parts of a key, so neither may come from a caller unchecked. The
 * OpenAPI document shows these bounds.
 */
import { z } from 'zod';

/** A bus, as in its MQTT topics and messages (`^[A-Za-z0-9_-]{1,64}$`): the MQTT contract's own schema. */
export { busIdSchema } from './messages.js';

/** Printable ASCII without space and `#` (GTFS recommends printable ASCII for its ids), 1–128 characters. */
const EXTERNAL_ID = /^[\x21\x22\x24-\x7E]{1,128}$/;
/** Letters, digits, `_` and `-`, as the MQTT contract's busId. */
const CODE = (max: number) => new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`);

const code = (max: number, description: string) =>
  z.string().min(1).max(max).regex(CODE(max), `must be 1–${max} letters, digits, _ or -`).describe(description);

const externalId = (description: string) =>
  z.string().min(1).max(128).regex(EXTERNAL_ID, 'must be 1–128 printable ASCII characters without spaces or #').describe(description);

/** An operator (the GTFS agency_id), as registered with its buses. */
export const operatorIdSchema = code(32, 'The operator (GTFS agency_id)');
/** A trip order, as the API created it. */
export const tripOrderIdSchema = code(128, 'The trip order, as the API created it');
/** A complaint, as the API recorded it. */
export const complaintIdSchema = code(128, 'The complaint, as the API recorded it');
/** A GTFS route_id. */
export const routeIdSchema = externalId('The route (GTFS route_id)');
/** A GTFS trip_id. */
export const tripIdSchema = externalId('The trip (GTFS trip_id)');
/** A GTFS stop_id. */
export const stopIdSchema = externalId('The stop (GTFS stop_id)');
/** A driver's or staff member's id in the operator's own records. */
export const staffIdSchema = externalId("A driver or staff member, by the operator's own id");

/** An operator's own number of a trip order (unique per operator); surrounding spaces are dropped. */
export const orderNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\x20-\x22\x24-\x7E]+$/, 'must be printable ASCII without #')
  .describe("The operator's own order number: printable ASCII without #");

/** A service day, YYYY-MM-DD in the network's time zone; it runs from 03:00 local for 24 h. */
export const serviceDaySchema = z.iso.date().describe('A service day, YYYY-MM-DD (Asia/Ho_Chi_Minh), from 03:00 local for 24 h');

/** A page cursor as the API hands it out (`nextCursor`): an encrypted JWE in compact form (header..iv.ciphertext.tag). */
export const cursorSchema = z
  .string()
  .min(60)
  .max(4096)
  .regex(/^[A-Za-z0-9_-]{20,200}\.\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{1,3800}\.[A-Za-z0-9_-]{22}$/, 'is not a cursor this API issued')
  .describe('The nextCursor of the previous page');
