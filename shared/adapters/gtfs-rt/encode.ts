/** GTFS-Realtime protobuf encoding and decoding (gtfs-realtime-bindings): the wire form of the domain's feeds. */
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import type { FeedMessage } from '../../domain/gtfs-rt/feed-message.js';

const { FeedMessage: FeedMessageProto } = GtfsRealtimeBindings.transit_realtime;

/** The feed as protobuf bytes. */
export function encodeFeed(feed: FeedMessage): Uint8Array {
  return FeedMessageProto.encode(FeedMessageProto.fromObject(feed)).finish();
}

/** Protobuf bytes back to the object form (enums as names, 64-bit integers as numbers). */
export function decodeFeed(bytes: Uint8Array): Record<string, unknown> {
  return FeedMessageProto.toObject(FeedMessageProto.decode(bytes), { enums: String, longs: Number, defaults: false });
}
