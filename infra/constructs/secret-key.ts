/**
 * A generated key kept in Secrets Manager (card pseudonymisation, cursor encryption): random, never in the template,
 * read by the functions that need it through an `*_SECRET_ARN` environment variable.
 */
import { type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export interface GeneratedKeyProps {
  description: string;
  length: number;
  removalPolicy: RemovalPolicy;
  /** Why the key is not rotated automatically (acknowledges cdk-nag AwsSolutions-SMG4). */
  noRotationReason: string;
}

/** A secret created directly in `scope` under `id` (so its logical id is the stack's, not a wrapper's). */
export function generatedKey(scope: Construct, id: string, props: GeneratedKeyProps): Secret {
  const secret = new Secret(scope, id, {
    description: props.description,
    generateSecretString: { passwordLength: props.length, excludePunctuation: true },
    removalPolicy: props.removalPolicy,
  });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.noRotationReason });
  return secret;
}
