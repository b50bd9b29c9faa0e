/** `npm run sim`: the simulator's command line, given the running local stack as its `--target local`. */
import { runSimCli } from '../../../simulator/cli.js';
import { localIdentities } from '../local-identities.js';

process.exitCode = await runSimCli(() => localIdentities());
