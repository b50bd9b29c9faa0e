/**
 * The local stand-in for AWS IoT Core's mutual TLS endpoint: an aedes broker behind a TLS server on 127.0.0.1
 * that demands a client certificate signed by the test CA. A bus's identity is its certificate's CN (IoT's
 * thing name): it must connect with that client id and may publish only its own telemetry topics (plainly or by
 * Basic Ingest), as the local broker's ACL (`mayPublish`) and the IoT policy allow. Everything accepted or refused is recorded for assertions.
 */
import type { AddressInfo, Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { mayPublish, maySubscribe } from '../../infra/local/broker.js';
import { parseBasicIngestTopic } from '../../shared/catalogue/index.js';

interface ReceivedPublish {
  topic: string;
  payload: string;
  clientId: string;
  /** The CN of the certificate the publishing connection presented. */
  certificateCn: string;
}

interface Refusal {
  stage: 'tls' | 'connect' | 'publish';
  reason: string;
  clientId?: string;
  certificateCn?: string;
  topic?: string;
}

export interface TlsBroker {
  aedes: Aedes;
  port: number;
  /** `mqtts://127.0.0.1:{port}`. */
  url: string;
  /** Publishes the broker accepted, in order of arrival. */
  received: ReceivedPublish[];
  /** Handshakes, connections and publishes it refused. */
  refused: Refusal[];
  close(): Promise<void>;
}

export interface TlsBrokerOptions {
  /** PEM of the server's certificate and key, and of the CA client certificates must chain to. */
  certPem: string;
  keyPem: string;
  caPem: string;
  /**
   * Highest TLS version offered (default TLSv1.3). Node refuses a client certificate by closing the socket, without
   * a TLS alert. Under TLS 1.3 the client has finished its handshake by then, so it sees only the connection
   * closing; under TLS 1.2 it sees the handshake fail, as it would on receiving an alert.
   */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

const NOT_AUTHORIZED = 5;

function certificateCnOf(client: Client): string | undefined {
  const cert = (client.conn as TLSSocket).getPeerCertificate?.();
  const cn = cert?.subject?.CN as string | string[] | undefined;
  // A subject may carry several CNs; IoT uses a single thing name, so several are as good as none.
  return typeof cn === 'string' && cn ? cn : undefined;
}

export async function startTlsBroker(opts: TlsBrokerOptions): Promise<TlsBroker> {
  const received: ReceivedPublish[] = [];
  const refused: Refusal[] = [];
  const identities = new WeakMap<Client, string>();

  const aedes = await Aedes.createBroker({
    authenticate: (client, _username, _password, done) => {
      const cn = certificateCnOf(client);
      if (!cn || client.id !== cn) {
        const reason = cn ? `client id ${client.id} is not the certificate's CN ${cn}` : 'no certificate CN';
        refused.push({ stage: 'connect', reason, clientId: client.id, ...(cn ? { certificateCn: cn } : {}) });
        done(Object.assign(new Error(reason), { returnCode: NOT_AUTHORIZED }) as AuthenticateError, false);
        return;
      }
      identities.set(client, cn);
      done(null, true);
    },
    authorizePublish: (client, packet, callback) => {
      if (!client) return callback(null);
      const cn = identities.get(client);
      // Its own telemetry topics, plainly or in their Basic Ingest form, as the bus policy allows.
      if (cn && (mayPublish(cn, packet.topic) || parseBasicIngestTopic(packet.topic)?.busId === cn)) {
        // Recorded before aedes sends the PUBACK: once a publisher has its acknowledgement, it is here.
        received.push({ topic: packet.topic, payload: Buffer.from(packet.payload).toString('utf8'), clientId: client.id, certificateCn: cn });
        return callback(null);
      }
      refused.push({
        stage: 'publish',
        reason: 'a bus may publish only its own telemetry topics',
        clientId: client.id,
        topic: packet.topic,
        ...(cn ? { certificateCn: cn } : {}),
      });
      callback(new Error(`${client.id} may not publish to ${packet.topic}`));
    },
    authorizeSubscribe: (client, sub, callback) => {
      const cn = identities.get(client);
      callback(null, cn && maySubscribe(cn, sub.topic) ? sub : null);
    },
  });

  const server = createServer(
    { key: opts.keyPem, cert: opts.certPem, ca: opts.caPem, requestCert: true, rejectUnauthorized: true, maxVersion: opts.maxVersion ?? 'TLSv1.3' },
    aedes.handle,
  );
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => {
    // Node verifies the client certificate after the handshake and, when it is refused, closes the socket without
    // a TLS alert: the error is then a bland "socket hang up" and the real reason is the verification error.
    const verification = socket.authorizationError as unknown as string | Error | null | undefined;
    const reason = verification
      ? String(verification instanceof Error ? verification.message : verification)
      : err.code
        ? `${err.code}: ${err.message}`
        : err.message;
    refused.push({ stage: 'tls', reason });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    aedes,
    port,
    url: `mqtts://127.0.0.1:${port}`,
    received,
    refused,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      // Whatever aedes did not own (a handshake in progress) is cut too, so the server can close.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
