/**
 * The HTTP API's contract: every route with its zod schemas. It sits above the domain (its bodies are the
 * domain's schemas) and below the adapters, functions and infra that serve and deploy it.
 */
export * from './cors.js';
export * from './route.js';
export * from './routes.js';
