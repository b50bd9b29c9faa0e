/**
 * `npm run card-key:rotate -- --secret ARN --at 2026-07-01T03:00:00+07:00`: adds a card-hash key that takes over
 * then, deleting the keys of retired versions; `--prune` only deletes retired keys. See docs/privacy.md.
 */
import { parseArgs } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { systemClock } from '../../../shared/domain/ports/clock.js';
import { rotateCardKeySecret } from '../card-keys/card-key-rotation.js';
import { runCommand } from './cli-support.js';

const USAGE =
  'usage: npm run card-key:rotate -- --secret ARN --at ISO-INSTANT [--region R]   (a new key taking over at that instant)\n' +
  '       npm run card-key:rotate -- --secret ARN --prune [--region R]            (only delete the keys of retired versions)\n' +
  '       --secret defaults to CARD_HASH_KEY_SECRET_ARN';

const { values } = parseArgs({
  options: {
    secret: { type: 'string' },
    at: { type: 'string' },
    prune: { type: 'boolean', default: false },
    region: { type: 'string' },
  },
});

async function main(): Promise<number> {
  const secretId = values.secret ?? process.env.CARD_HASH_KEY_SECRET_ARN;
  const activeFromMs = values.at === undefined ? undefined : Date.parse(values.at);
  if (!secretId || values.prune === (values.at !== undefined) || Number.isNaN(activeFromMs)) {
    console.error(USAGE);
    return 2;
  }
  const sm = new SecretsManagerClient(values.region ? { region: values.region } : {});
  try {
    return await runCommand('rotate the card hash key', async () => {
      // The deployed functions' clock is the system clock: keys take over at wall-clock instants.
      const result = await rotateCardKeySecret(sm, { secretId, nowMs: systemClock.now(), activeFromMs });
      if (!result.written) console.log('No key version has retired yet: the secret is unchanged.');
      for (const v of result.versions) console.log(`  version ${v.version}: current from ${v.activeFrom}`);
      if (result.deletedVersions.length > 0) console.log(`Deleted the keys of retired version(s) ${result.deletedVersions.join(', ')}.`);
      if (activeFromMs !== undefined) {
        console.log('Functions read the key ring when they start: let the new key take over at least a day after this write.');
      }
    });
  } finally {
    sm.destroy();
  }
}

process.exitCode = await main();
