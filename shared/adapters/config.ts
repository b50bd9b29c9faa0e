/** Configuration, typed and validated once at start. Defaults work for the local stack. */
import { z } from 'zod';
import { tableEnvVar, tables, type TableName } from '../catalogue/index.js';

const envSchema = z.object({
  AWS_REGION: z.string().min(1).default('ap-southeast-1'),
  /** Set locally to DynamoDB Local's URL; absent on AWS. */
  BUSFLOW_DYNAMODB_ENDPOINT: z.url().optional(),
  BUSFLOW_TABLE_PREFIX: z.string().default('busflow-'),
  /** Card pseudonymisation key given directly (local stack, tests): at least 32 characters. */
  BUSFLOW_CARD_HASH_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** On AWS: the Secrets Manager secret holding the key. */
  CARD_HASH_KEY_SECRET_ARN: z.string().min(1).optional(),
});

export type CardHashKeySource = { kind: 'inline'; key: string } | { kind: 'secret'; secretId: string } | { kind: 'none' };

export interface Config {
  region: string;
  dynamodbEndpoint?: string;
  tableNames: Record<TableName, string>;
  cardHashKey: CardHashKeySource;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads configuration from the environment; throws a ConfigError naming the variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const tableNames = Object.fromEntries(
    (Object.keys(tables) as TableName[]).map((name) => [name, env[tableEnvVar(name)] ?? `${e.BUSFLOW_TABLE_PREFIX}${name}`]),
  ) as Record<TableName, string>;
  const cardHashKey: CardHashKeySource = e.BUSFLOW_CARD_HASH_KEY
    ? { kind: 'inline', key: e.BUSFLOW_CARD_HASH_KEY }
    : e.CARD_HASH_KEY_SECRET_ARN
      ? { kind: 'secret', secretId: e.CARD_HASH_KEY_SECRET_ARN }
      : { kind: 'none' };
  return {
    region: e.AWS_REGION,
    ...(e.BUSFLOW_DYNAMODB_ENDPOINT ? { dynamodbEndpoint: e.BUSFLOW_DYNAMODB_ENDPOINT } : {}),
    tableNames,
    cardHashKey,
  };
}
