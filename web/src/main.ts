/** The console's entry: read config.json, take a Cognito token from the address if one came back, show the page. */
import { sessionFromFragment } from './auth.js';
import { loadConfig } from './config.js';
import { startShell } from './shell.js';

const config = await loadConfig();
if (config.auth.kind === 'cognito' && location.hash.includes('id_token=')) {
  const back = sessionFromFragment(location.hash);
  if (back) history.replaceState(null, '', back.next);
}
startShell(config);
