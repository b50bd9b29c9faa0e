/** `npm run token -- --role operator --operator OP1` (or `--role centre`): a bearer token from the local issuer. */
import { parseArgs } from 'node:util';
import { devIssuer } from '../dev-issuer.js';
import { LOCAL_DIR } from '../state-file.js';

const { values } = parseArgs({ options: { role: { type: 'string' }, operator: { type: 'string' }, hours: { type: 'string', default: '12' } } });

if (values.role !== 'centre' && values.role !== 'operator') {
  console.error('usage: npm run token -- --role centre | --role operator --operator OPERATOR-ID [--hours 12]');
  process.exitCode = 2;
} else if (values.role === 'operator' && !values.operator) {
  console.error('an operator token needs --operator OPERATOR-ID');
  process.exitCode = 2;
} else {
  const issuer = await devIssuer(LOCAL_DIR);
  console.log(await issuer.sign({ role: values.role, ...(values.operator ? { operatorId: values.operator } : {}) }, Number(values.hours) * 3600));
}
