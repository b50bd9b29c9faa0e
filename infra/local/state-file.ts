/** Where a running local stack tells other commands (bus:add, the simulator) how to reach it. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClockDescription } from './scaled-clock.js';

/** `.busflow/` in the checkout (git-ignored); BUSFLOW_LOCAL_DIR moves it (tests run stacks beside a real one). */
export const LOCAL_DIR = process.env.BUSFLOW_LOCAL_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.busflow');
const ENDPOINTS_FILE = join(LOCAL_DIR, 'endpoints.json');

export interface LocalEndpoints {
  pid: number;
  dynamodbEndpoint: string;
  mqttUrl: string;
  tablePrefix: string;
  /** The stack's simulated clock, when a fleet runs faster than real time; absent: the system clock. */
  clock?: ClockDescription;
}

export function writeEndpoints(e: LocalEndpoints): void {
  mkdirSync(LOCAL_DIR, { recursive: true });
  writeFileSync(ENDPOINTS_FILE, JSON.stringify(e, null, 2));
}

export function readEndpoints(): LocalEndpoints | undefined {
  try {
    const e = JSON.parse(readFileSync(ENDPOINTS_FILE, 'utf8')) as LocalEndpoints;
    process.kill(e.pid, 0); // throws when that stack is no longer running
    return e;
  } catch {
    return undefined;
  }
}

/** Removes the endpoints file if this process wrote it. */
export function removeEndpoints(): void {
  try {
    const e = JSON.parse(readFileSync(ENDPOINTS_FILE, 'utf8')) as LocalEndpoints;
    if (e.pid === process.pid) rmSync(ENDPOINTS_FILE, { force: true });
  } catch {
    // nothing to remove
  }
}

/** The local card pseudonymisation key: made once per checkout, kept out of git (.busflow is ignored). */
export function localCardHashKey(): string {
  const file = join(LOCAL_DIR, 'card-hash-key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(LOCAL_DIR, { recursive: true });
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    writeFileSync(file, key, { mode: 0o600 });
    return key;
  }
}
