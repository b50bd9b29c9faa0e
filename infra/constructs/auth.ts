/**
 * Who may call the API: a Cognito user pool of staff accounts (no self sign-up), one group per role the API
 * knows (`shared/adapters/http/principal.ts`), the operator a user belongs to in `custom:operatorId`, and one app
 * client whose id is the audience API Gateway's JWT authorizer checks.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClientIdentityProvider,
  type UserPoolClient,
  type UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Role } from '../../shared/adapters/http/principal.js';
import { pascalCase } from './names.js';

/** One Cognito group per role; a user's groups reach the API as the `cognito:groups` claim. */
export const ROLE_GROUPS = ['centre', 'operator'] as const satisfies readonly Role[];
// Compile-time check that every Role has a group: fails to type-check if principal.ts gains a role.
const everyRoleHasAGroup: Exclude<Role, (typeof ROLE_GROUPS)[number]> extends never ? true : false = true;
void everyRoleHasAGroup;

/** The custom attribute that carries an operator user's operatorId (`custom:operatorId` in the ID token). */
export const OPERATOR_ID_ATTRIBUTE = 'operatorId';

/** Strong password policy (cdk-nag AwsSolutions-COG1 asks for ≥ 8 with upper, digits, symbols; staff accounts get 12). */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  tempPasswordValidity: Duration.days(3),
} as const;

export interface ApiAuthProps {
  /** The web console's origin: gets a hosted UI client whose callback is its `/login` page. */
  consoleOrigin?: string;
}

export class ApiAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly groups = new Map<Role, UserPoolGroup>();
  /** The web console's client (hosted UI, implicit grant to the console's `/login`), when there is a console. */
  readonly consoleClient: UserPoolClient | undefined;
  /** The hosted UI's host name (`<prefix>.auth.<region>.amazoncognito.com`), when there is a console. */
  readonly hostedUiDomain: string | undefined;

  constructor(scope: Construct, id: string, props: ApiAuthProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    this.userPool = new UserPool(this, 'UserPool', {
      // Accounts are created by an administrator (the centre for its staff and for each operator's staff).
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      passwordPolicy: PASSWORD_POLICY,
      // Optional: TOTP for those who enrol (see the AwsSolutions-COG2 acknowledgement below).
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus feature plan with threat protection enforced: compromised-credential and risky sign-in detection
      // block the attempt instead of only reporting it (cdk-nag AwsSolutions-COG8).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      customAttributes: {
        // Mutable so an administrator can move a user to another operator; users cannot write it (client below).
        [OPERATOR_ID_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 128, mutable: true }),
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP for every user who enrols) rather than required: operator accounts include terminal ' +
        'staff who confirm departures and arrivals (ARCHITECTURE §9), often from a terminal shared by whoever is on ' +
        'shift, where a per-person authenticator cannot be assumed. Compensating controls: no self sign-up (administrators create ' +
        'every account), 12-character passwords with all character classes, and the Plus feature plan with threat ' +
        'protection enforced (compromised-credential and risky sign-in detection block the attempt).',
    });

    ROLE_GROUPS.forEach((role, precedence) => {
      this.groups.set(
        role,
        this.userPool.addGroup(`${pascalCase(role)}Group`, {
          groupName: role,
          description: `BusFlow role ${role}: the API reads it from cognito:groups`,
          precedence,
        }),
      );
    });

    this.client = this.userPool.addClient('ApiClient', {
      // Public client (browser / CLI): no secret, SRP sign-in only, no hosted UI / OAuth flows.
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // The token may carry the operatorId, but the user must never be able to change it (UpdateUserAttributes):
      // only email is writable through this client; custom:operatorId is set by administrators only.
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes(OPERATOR_ID_ATTRIBUTE),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });

    if (props.consoleOrigin) {
      // Cognito domains are global: the account id keeps the prefix unique per deployment.
      const prefix = `busflow-${stack.account}`;
      this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: prefix } });
      this.hostedUiDomain = `${prefix}.auth.${stack.region}.amazoncognito.com`;
      this.consoleClient = this.userPool.addClient('ConsoleClient', {
        // A static site in the browser holds no secret: the hosted UI hands back the ID token in the URL fragment
        // of the console's /login page (the only callback), which keeps it out of server logs.
        generateSecret: false,
        authFlows: {},
        oAuth: {
          flows: { implicitCodeGrant: true },
          scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
          callbackUrls: [`${props.consoleOrigin}/login`],
          logoutUrls: [`${props.consoleOrigin}/`],
        },
        supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
        preventUserExistenceErrors: true,
        enableTokenRevocation: true,
        idTokenValidity: Duration.hours(1),
        accessTokenValidity: Duration.hours(1),
        readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes(OPERATOR_ID_ATTRIBUTE),
        writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
      });
    }

    new CfnOutput(this, 'UserPoolId', {
      description: 'Cognito user pool of BusFlow staff (groups centre / operator, attribute custom:operatorId)',
      value: this.userPool.userPoolId,
      exportName: `${stack.stackName}-UserPoolId`,
    });
    new CfnOutput(this, 'UserPoolClientId', {
      description: 'App client of the API: the audience of its JWT authorizer',
      value: this.client.userPoolClientId,
      exportName: `${stack.stackName}-UserPoolClientId`,
    });
  }

  /** The `iss` of the pool's tokens: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  get issuer(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
