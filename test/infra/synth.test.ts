/** `cdk synth` works offline, bundles the functions with the local esbuild and passes cdk-nag (the default stage, dev). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('cdk synth', () => {
  it('synthesises the stack with bundled functions and no Docker', () => {
    const out = mkdtempSync(join(tmpdir(), 'busflow-synth-'));
    try {
      const run = spawnSync(join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', out], {
        cwd: root,
        encoding: 'utf8',
        // A Docker that always fails: bundling must not need it.
        env: { ...process.env, CDK_DOCKER: '/bin/false' },
        timeout: 180_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const template = JSON.parse(readFileSync(join(out, 'BusFlow-dev.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
      expect(Object.values(template.Resources).some((r) => r.Type === 'AWS::Lambda::Function')).toBe(true);
      const assets = readdirSync(out).filter((f) => f.startsWith('asset.'));
      expect(assets.some((a) => existsSync(join(out, a, 'index.mjs')))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 200_000);
});
