/**
 * `npm start` as a user runs it: it comes up, says where everything is (the web console included), ingests a
 * message published with the printed command's credentials, and leaves no java behind — on Ctrl-C and when
 * killed outright.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];

function start(
  localDir: string,
  extraArgs: string[] = ['--no-sim'],
): { child: ChildProcess; output: () => string; waitFor: (re: RegExp) => Promise<RegExpMatchArray> } {
  // Free ports (0), a private state directory: this runs beside a developer's own `npm start`.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'infra/local/start.ts', '--mqtt-port', '0', '--dynamodb-port', '0', '--http-port', '0', ...extraArgs],
    {
      cwd: root,
      env: { ...process.env, BUSFLOW_LOCAL_DIR: localDir, LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output:\n${out}`)), 60_000);
      const check = () => {
        const m = out.match(re);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        } else if (child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`exited ${child.exitCode}:\n${out}`));
        } else setTimeout(check, 100);
      };
      check();
    });
  return { child, output: () => out, waitFor };
}

function javaChildren(): number[] {
  // DynamoDB Local runs as `java … DynamoDBLocal.jar`; list those still alive.
  const out = execSync('ps -eo pid=,args=', { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('DynamoDBLocal.jar'))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

function answers(endpoint: string): Promise<boolean> {
  return fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
}

const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('npm start', () => {
  it('prints its endpoints, ingests a published message, and stops cleanly on Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'busflow-start-'));
    try {
      const s = start(dir);
      const [, mqttUrl] = await s.waitFor(/MQTT broker\s+(mqtt:\/\/\S+)/);
      const [, dynamoUrl] = await s.waitFor(/DynamoDB Local\s+(http:\/\/\S+)/);
      const [, password] = await s.waitFor(/-u DEMO-001 -P '([^']+)'/);
      expect(s.output()).toMatch(/telemetry\s+busflow-telemetry/);
      // The web console, built at start, on the API's port: the page for any app route, config.json for the test login.
      const [, consoleUrl] = await s.waitFor(/Web console\s+(http:\/\/\S+)\//);
      const page = await fetch(`${consoleUrl}/board/S0001`);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('/app.js');
      expect((await fetch(`${consoleUrl}/app.js`)).status).toBe(200);
      expect(await (await fetch(`${consoleUrl}/config.json`)).json()).toEqual({ auth: { kind: 'dev' } });

      const client = await mqtt.connectAsync(mqttUrl!, { clientId: 'DEMO-001', username: 'DEMO-001', password, reconnectPeriod: 0 });
      await client.publishAsync(
        'bus/DEMO-001/gps',
        JSON.stringify({ v: 1, msgId: 'e2e', busId: 'DEMO-001', records: [{ ts: Date.now(), lat: 10.77, lon: 106.69 }] }),
        { qos: 1 },
      );
      await client.endAsync();
      await s.waitFor(/stored\s+1 positions/);

      s.child.kill('SIGINT');
      await exited(s.child);
      expect(s.child.exitCode).toBe(0);
      expect(s.output()).toContain('Stopped.');
      expect(await answers(dynamoUrl!)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('runs the simulated fleet by default and shows its telemetry being stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'busflow-sim-'));
    try {
      const s = start(dir, ['--buses', '6', '--speed', '600', '--from', '06:00']);
      const [, clockLine] = await s.waitFor(/Clock\s+(simulated: service day \S+ from 06:00 local[^\n]*)/);
      expect(clockLine).toContain('600×');
      await s.waitFor(/Simulated fleet: 6 buses on \d+ routes/);
      const [, hh, mm, positions] = await s.waitFor(/\[sim (\d\d):(\d\d)\][^\n]*\n\s+stored\s+([1-9][\d,]*) positions/);
      // The stack lives in the fleet's time: its clock started at 06:00 of the service day, not at the wall clock.
      const simMinutes = Number(hh) * 60 + Number(mm);
      expect(simMinutes).toBeGreaterThanOrEqual(6 * 60);
      expect(simMinutes).toBeLessThan(9 * 60);
      expect(Number(positions!.replace(/,/g, ''))).toBeGreaterThan(0);
      // The terminal shows the live view; the JSON logs go to a file under the local directory.
      const [, logPath] = await s.waitFor(/Logs\s+(\S+\.log)/);
      expect(logPath!.startsWith(dir)).toBe(true);
      expect(s.output()).not.toMatch(/^\{"level"/m);
      s.child.kill('SIGINT');
      await exited(s.child);
      expect(s.child.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('takes DynamoDB Local down with it when it is killed outright', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'busflow-kill-'));
    try {
      const before = new Set(javaChildren());
      const s = start(dir);
      const [, dynamoUrl] = await s.waitFor(/DynamoDB Local\s+(http:\/\/\S+)/);
      const ours = javaChildren().filter((p) => !before.has(p));
      expect(ours.length).toBeGreaterThan(0);
      s.child.kill('SIGKILL');
      await exited(s.child);
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && javaChildren().some((p) => ours.includes(p))) await new Promise((r) => setTimeout(r, 200));
      expect(javaChildren().filter((p) => ours.includes(p))).toEqual([]);
      expect(await answers(dynamoUrl!)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
