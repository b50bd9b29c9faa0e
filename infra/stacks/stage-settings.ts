/**
 * What differs between stages (`-c stage=dev|prod`, default dev). Prod keeps its data whatever happens to the
 * stack; dev is disposable and as cheap as possible when idle. docs/deploy.md and docs/cost-model.md explain.
 */
import type { Stage } from '../../shared/catalogue/index.js';

export type StreamCapacity = { mode: 'on-demand' } | { mode: 'provisioned'; shards: number };

export interface StageSettings {
  /**
   * Tables, the user pool and the card hash key survive `cdk destroy` and a replacement (RETAIN), and tables and
   * the pool refuse deletion (deletion protection). Off in dev: `cdk destroy` removes everything.
   */
  keepData: boolean;
  /**
   * Prod: on-demand, which follows the fleet and absorbs a backlog of buses coming back online without a
   * throttled PutRecord sending messages to the DLQ. Dev: one provisioned shard, a third of an idle on-demand
   * stream's hourly charge (docs/cost-model.md).
   */
  telemetryStream: StreamCapacity;
}

export const stageSettings: Record<Stage, StageSettings> = {
  dev: { keepData: false, telemetryStream: { mode: 'provisioned', shards: 1 } },
  prod: { keepData: true, telemetryStream: { mode: 'on-demand' } },
};
