/**
 * Deployment stages. Each stage is its own stack (`BusFlow-dev`, `BusFlow-prod`) with its own IoT rules, so
 * the stage is part of every name that must be unique in an account and region, and of the Basic Ingest
 * topics devices publish to.
 */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** What `cdk synth` / `cdk deploy` build without `-c stage=…`: never prod by accident. */
export const DEFAULT_STAGE: Stage = 'dev';

/** The stage named by a CDK context value; throws on anything else, naming the choices. */
export function parseStage(value: unknown): Stage {
  if (value === undefined) return DEFAULT_STAGE;
  const found = STAGES.find((stage) => stage === value);
  if (!found) throw new Error(`stage must be one of ${STAGES.join(', ')} (got ${JSON.stringify(value)})`);
  return found;
}
