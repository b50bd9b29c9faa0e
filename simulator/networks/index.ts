/** The networks the simulator knows without being told: the built-in HCMC sample. */
import { fileURLToPath } from 'node:url';

export const SAMPLE_NETWORK_DIR = fileURLToPath(new URL('./hcmc-sample/', import.meta.url));
