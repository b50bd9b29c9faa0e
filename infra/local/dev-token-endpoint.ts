/**
 * `POST /dev/token` on the local HTTP server only: the console's test login ("Đăng nhập (thử nghiệm)") asks the
 * local issuer for a centre or operator token, as `npm run token` does on the command line. It sits outside
 * `/v1` and exists nowhere on AWS, where the console signs in through Cognito.
 */
import { z } from 'zod';
import { operatorIdSchema } from '../../shared/catalogue/ids.js';
import type { HttpResult } from '../../shared/adapters/http/http-types.js';
import type { DevIssuer } from './dev-issuer.js';

export const DEV_TOKEN_PATH = '/dev/token';

const requestSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('centre') }),
  z.object({ role: z.literal('operator'), operatorId: operatorIdSchema }),
]);

/** A console login lasts a working day. */
const TTL_S = 12 * 3600;

export async function devToken(issuer: DevIssuer, body: string): Promise<HttpResult> {
  let json: unknown;
  try {
    json = JSON.parse(body || '{}');
  } catch {
    json = undefined;
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      statusCode: 400,
      headers: { 'content-type': 'application/problem+json' },
      body: JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: `${issue.path.join('.') || 'role'}: ${issue.message}` }),
    };
  }
  const claims = parsed.data;
  const token = await issuer.sign({ role: claims.role, ...('operatorId' in claims ? { operatorId: claims.operatorId } : {}) }, TTL_S);
  return { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify({ token, expiresInS: TTL_S }) };
}
