/**
 * The local stand-in for AWS IoT Core: an aedes MQTT broker on 127.0.0.1 where each bus connects with its own
 * credentials and may do exactly what the IoT policy allows it: connect as its own id, publish its telemetry
 * topics, subscribe to its own assignment topic. A stop board (`board:{stopId}`) may only subscribe to its
 * stop's arrivals. Anything else is refused and logged.
 */
import { createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { TELEMETRY_KINDS, assignmentTopic, busIdSchema, stopArrivalsTopic, telemetryTopic } from '../../shared/catalogue/index.js';
import type { Logger } from '../../shared/domain/ports/logger.js';
import { CredentialCheck, type DeviceDirectory } from './credential-check.js';
import { PortInUse } from './free-port.js';
import { stopOfBoard } from './register-board.js';

export interface LocalBroker {
  aedes: Aedes;
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface LocalBrokerOptions {
  /** 0: a free port. */
  port: number;
  host?: string;
  devices: DeviceDirectory;
  logger: Logger;
  /** How long the credential lookup is given before the connection is refused as "server unavailable". */
  authTimeoutMs?: number;
  /** How long a verified credential is trusted without a lookup. */
  credentialCacheTtlMs?: number;
  /**
   * Asked before a bus's telemetry publish is acknowledged; false refuses it. The client is then disconnected
   * without a PUBACK, so a QoS 1 device keeps the message and sends it again when it reconnects.
   */
  acceptsTelemetry?: () => boolean;
  /** Stop boards' credentials, by stop id; absent: no board may connect. */
  boards?: DeviceDirectory;
}

const SERVER_UNAVAILABLE = 3;
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** Topics a bus may publish to: its four telemetry topics, nothing else (not even its own assignment). */
export function mayPublish(busId: string, topic: string): boolean {
  return TELEMETRY_KINDS.some((kind) => telemetryTopic(busId, kind) === topic);
}

/** Topic filters a client may subscribe to: a bus its own assignment, a stop board its own stop's arrivals. */
export function maySubscribe(clientId: string, filter: string): boolean {
  const stopId = stopOfBoard(clientId);
  return stopId === undefined ? filter === assignmentTopic(clientId) : filter === stopArrivalsTopic(stopId);
}

export async function startLocalBroker(opts: LocalBrokerOptions): Promise<LocalBroker> {
  const { logger } = opts;
  const credentials = new CredentialCheck({
    devices: opts.devices,
    ...(opts.authTimeoutMs !== undefined ? { timeoutMs: opts.authTimeoutMs } : {}),
    ...(opts.credentialCacheTtlMs !== undefined ? { cacheTtlMs: opts.credentialCacheTtlMs } : {}),
  });
  const boardCredentials = opts.boards ? new CredentialCheck({ devices: opts.boards }) : undefined;
  const aedes = await Aedes.createBroker({
    authenticate: (client: Client, username, password, done) => {
      const boardStop = stopOfBoard(username ?? '');
      if (boardStop !== undefined) {
        if (!boardCredentials || client.id !== username) {
          logger.warn('mqtt connection refused', {
            clientId: client.id,
            username,
            reason: 'a board connects as board:{stopId}, its client id equal to its username',
          });
          done(authError('not authorised', NOT_AUTHORIZED), false);
          return;
        }
        void boardCredentials.verify(boardStop, password).then((verdict) => {
          if (verdict.ok) return done(null, true);
          logger.warn('mqtt connection refused', { board: boardStop, reason: verdict.reason });
          done(authError('bad user name or password', verdict.reason === 'credential check unavailable' ? SERVER_UNAVAILABLE : BAD_CREDENTIALS), false);
        });
        return;
      }
      const busId = username ?? '';
      if (!busIdSchema.safeParse(busId).success || client.id !== busId) {
        logger.warn('mqtt connection refused', { clientId: client.id, username, reason: 'client id must equal the bus id given as username' });
        done(authError('client id must equal the bus id', NOT_AUTHORIZED), false);
        return;
      }
      void credentials.verify(busId, password).then((verdict) => {
        if (verdict.ok) return done(null, true);
        if (verdict.reason === 'credential check unavailable') {
          // Not the device's fault: "server unavailable" makes it try again later.
          logger.warn('mqtt connection refused', { busId, reason: verdict.reason, error: verdict.error });
          return done(authError('authentication unavailable', SERVER_UNAVAILABLE), false);
        }
        logger.warn('mqtt connection refused', { busId, reason: verdict.reason });
        done(authError('bad user name or password', BAD_CREDENTIALS), false);
      });
    },
    authorizePublish: (client, packet, callback) => {
      // Messages published by BusFlow itself (client null) are trusted.
      if (!client) return callback(null);
      if (mayPublish(client.id, packet.topic)) {
        if (!opts.acceptsTelemetry || opts.acceptsTelemetry()) return callback(null);
        // Refused before the PUBACK: the message stays with the device, which sends it again after reconnecting.
        return callback(new Error(`telemetry from ${client.id} refused: the stream backlog is full`));
      }
      logger.warn('mqtt publish refused', { busId: client.id, topic: packet.topic, reason: 'a bus may publish only its own telemetry topics' });
      callback(new Error(`bus ${client.id} may not publish to ${packet.topic}`));
    },
    authorizeSubscribe: (client, sub, callback) => {
      if (maySubscribe(client.id, sub.topic)) return callback(null, sub);
      logger.warn('mqtt subscription refused', { busId: client.id, topic: sub.topic });
      callback(null, null);
    },
  });
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PortInUse(`the MQTT broker cannot use port ${opts.port}: it is in use (is another \`npm start\` running?)`) : err),
    );
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    aedes,
    port,
    url: `mqtt://${opts.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        aedes.close(() => undefined);
        // Connected clients keep the server open until they are gone; aedes.close() disconnects them.
      }),
  };
}
