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
  /** The key that seals pagination cursors: given directly locally, a secret on AWS. */
  BUSFLOW_CURSOR_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  CURSOR_KEY_SECRET_ARN: z.string().min(1).optional(),
  /** The account's IoT data endpoint (`…-ats.iot.{region}.amazonaws.com`), for publishing to buses. */
  IOT_DATA_ENDPOINT: z.string().min(1).optional(),
  /** Check every API answer against its route's response schema (`false` turns it off; see docs/api.md). */
  BUSFLOW_VALIDATE_RESPONSES: z.enum(['true', 'false']).default('true'),
});

export type SecretSource = { kind: 'inline'; key: string } | { kind: 'secret'; secretId: string } | { kind: 'none' };
/** Where the card pseudonymisation key comes from. */
export type CardHashKeySource = SecretSource;

export interface Config {
  region: string;
  dynamodbEndpoint?: string;
  tableNames: Record<TableName, string>;
  cardHashKey: CardHashKeySource;
  cursorKey: SecretSource;
  iotDataEndpoint?: string;
  /** API answers are checked against their routes' response schemas. */
  validateResponses: boolean;
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
    (Object.keys(tables) as TableName[]).map((name) => [name, env[tableEnvVar(name)] ?? `${e.BUSFLOW_TABLE_PREFIX}${tables[name].name}`]),
  ) as Record<TableName, string>;
  const source = (inline?: string, arn?: string): SecretSource =>
    inline ? { kind: 'inline', key: inline } : arn ? { kind: 'secret', secretId: arn } : { kind: 'none' };
  return {
    region: e.AWS_REGION,
    ...(e.BUSFLOW_DYNAMODB_ENDPOINT ? { dynamodbEndpoint: e.BUSFLOW_DYNAMODB_ENDPOINT } : {}),
    tableNames,
    cardHashKey: source(e.BUSFLOW_CARD_HASH_KEY, e.CARD_HASH_KEY_SECRET_ARN),
    cursorKey: source(e.BUSFLOW_CURSOR_KEY, e.CURSOR_KEY_SECRET_ARN),
    ...(e.IOT_DATA_ENDPOINT ? { iotDataEndpoint: e.IOT_DATA_ENDPOINT } : {}),
    validateResponses: e.BUSFLOW_VALIDATE_RESPONSES === 'true',
  };
}
