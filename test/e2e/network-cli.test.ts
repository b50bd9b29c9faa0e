/**
 * Importing a network from the command line as a user does: a one-agency feed without agency_id is stored, and a
 * feed that cannot be loaded or stored is refused in one line, without a stack trace, by both `npm run
 * network:import` and `npm start`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, smallFeed } from '../fixtures/gtfs/small-feed.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const root = join(import.meta.dirname, '..', '..');
let stack: TestStack;
let dir: string;

/** Runs a command-line entry to its end (killed after 60 s) with a private state directory. */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, BUSFLOW_LOCAL_DIR: join(dir, 'state'), LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}

function writeFeed(name: string, files: Map<string, string>): string {
  const feed = join(dir, name);
  mkdirSync(feed, { recursive: true });
  for (const [file, text] of files) writeFileSync(join(feed, file), text);
  return feed;
}

beforeAll(async () => {
  stack = await startTestStack();
  dir = mkdtempSync(join(tmpdir(), 'busflow-network-cli-'));
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('network import from the command line', () => {
  it('stores a one-agency feed without agency_id', async () => {
    const feed = writeFeed(
      'one-agency',
      smallFeed({
        'agency.txt': lines('agency_name,agency_url,agency_timezone', 'Xe buýt Mẫu,https://a1.example/,Asia/Ho_Chi_Minh'),
        'routes.txt': lines('route_id,route_short_name,route_long_name,route_type', 'R1,01,Đông - Tây,3', 'R2,02,Vòng Chợ,3'),
      }),
    );
    const prefix = stack.config.tableNames.network.slice(0, -'network'.length);
    const { code, out } = await run('infra/local/cli/network-import.ts', [feed, '--dynamodb', stack.dynamodbEndpoint], { BUSFLOW_TABLE_PREFIX: prefix });
    expect(out).toMatch(/Imported network version \w+: 1 agencies, 2 routes/);
    expect(code).toBe(0);
    expect([...(await stack.network.loadNetwork())!.agencies.keys()]).toEqual(['Xe buýt Mẫu']);
  }, 90_000);

  it('says in one line why a feed could not be stored', async () => {
    const feed = writeFeed('small', smallFeed());
    const { code, out } = await run('infra/local/cli/network-import.ts', [feed, '--dynamodb', stack.dynamodbEndpoint], {
      BUSFLOW_TABLE_PREFIX: 'no-such-prefix-',
    });
    expect(code).toBe(1);
    expect(out.trim()).toMatch(/^Cannot import .+: network \w+ from .+ could not be stored: .+$/);
    expect(out).not.toMatch(/^\s+at /m);
  }, 90_000);

  it('npm start says in one line why its network could not be loaded', async () => {
    const { code, out } = await run('infra/local/start.ts', [
      '--network',
      join(dir, 'missing.zip'),
      '--mqtt-port',
      '0',
      '--dynamodb-port',
      '0',
      '--http-port',
      '0',
      '--no-sim',
    ]);
    expect(code).toBe(1);
    expect(out.trim()).toMatch(/^Cannot start: Cannot import .*missing\.zip: ENOENT[^\n]*$/);
  }, 90_000);
});
