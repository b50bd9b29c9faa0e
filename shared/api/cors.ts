/**
 * The API's CORS policy, in one place: CDK configures API Gateway's preflight answers from it and the local
 * server answers the same. Any origin may call (the passenger web app, the city's open-data portal, stop
 * boards); callers authenticate with bearer tokens, never cookies, so credentials are not allowed.
 */
export const API_CORS = {
  allowOrigins: ['*'],
  allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'x-request-id'],
  exposeHeaders: ['x-request-id', 'content-disposition', 'location'],
  maxAgeS: 3600,
} as const;
