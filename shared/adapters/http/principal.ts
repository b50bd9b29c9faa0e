/**
 * Who is calling, from the JWT claims API Gateway's authorizer hands over (or the local server, after it
 * verified the token the same way). BusFlow tokens carry `role` and `operatorId`; Cognito tokens carry the role
 * as a group (`cognito:groups`) and the operator as `custom:operatorId`. Both are understood.
 */
export type Role = 'centre' | 'operator';

export interface Principal {
  subject: string;
  role: Role;
  /** Set for operators: the only operator whose data they may see or change. */
  operatorId?: string;
}

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/** The caller, or undefined when the claims name no known role. */
export function principalFromClaims(claims: Claims | undefined): Principal | undefined {
  if (!claims) return undefined;
  const groups = toList(claims['cognito:groups']);
  const role = [claims.role, ...groups].find((r): r is Role => r === 'centre' || r === 'operator');
  if (!role) return undefined;
  const operatorId = (claims.operatorId ?? claims['custom:operatorId']) as string | undefined;
  if (role === 'operator' && !operatorId) return undefined;
  return { subject: String(claims.sub ?? 'unknown'), role, ...(role === 'operator' ? { operatorId: operatorId! } : {}) };
}

/** API Gateway flattens list claims into a string like "[centre operator]". */
function toList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}
