/**
 * The layers are a checked property: the tree breaks none of the rules in .dependency-cruiser.cjs, and each rule
 * really fires on a miniature tree that breaks it (test/fixtures/layers).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { forbidden: IForbiddenRuleType[]; options: ICruiseOptions };

async function violations(baseDir: string, dirs: string[]): Promise<{ rule: string; from: string; to: string }[]> {
  // The tsconfig is the repository's; the miniature tree has none, and needs none to resolve relative imports.
  const { tsConfig: _tsConfig, ...options } = config.options;
  const { output } = await cruise(dirs, { ...options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } });
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('layers', () => {
  it('hold in the whole tree: no import points the wrong way, no cycle', async () => {
    expect(await violations(root, ['shared', 'functions', 'simulator', 'infra', 'test', 'web'])).toEqual([]);
  }, 60_000);

  it('each rule catches the import that breaks it', async () => {
    const found = await violations(join(root, 'test', 'fixtures', 'layers'), ['shared', 'functions', 'simulator', 'infra', 'web']);
    const broken = new Set(found.map((v) => v.rule));
    expect([...broken].sort()).toEqual(config.forbidden.map((r) => r.name).sort());
    expect(found).toContainEqual({ rule: 'layer-domain', from: 'shared/domain/logic.ts', to: 'shared/adapters/repo.ts' });
    expect(found.some((v) => v.rule === 'no-aws-in-domain' && v.from === 'shared/domain/logic.ts')).toBe(true);
  }, 60_000);
});
