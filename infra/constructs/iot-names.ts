/**
 * The names the stack gives its IoT policies and thing types. They are derived from the stack name, so the
 * provisioning commands (`infra/aws/`) find them from `--stack` alone, without reading the stack's outputs.
 */

import { DEFAULT_STAGE } from '../../shared/catalogue/index.js';
import { stackName } from './names.js';

/** The stack `infra/bin/app.ts` deploys without `-c stage=…` (`BusFlow-dev`); prod is `--stack BusFlow-prod`. */
export const DEFAULT_STACK_NAME = stackName(DEFAULT_STAGE);

export interface IotNames {
  busPolicy: string;
  busThingType: string;
  boardPolicy: string;
  boardThingType: string;
}

/** Policy and thing type names of a stack (policy names allow `[\w+=,.@-]`, thing type names `[A-Za-z0-9:_-]`). */
export function iotNames(stackName: string): IotNames {
  return {
    busPolicy: `${stackName}-BusPolicy`,
    busThingType: `${stackName}-Bus`,
    boardPolicy: `${stackName}-BoardPolicy`,
    boardThingType: `${stackName}-StopBoard`,
  };
}
