export * from './messages.js';
export * from './topics.js';
export * from './stream.js';
export * from './tables.js';
export * from './functions.js';
export * from './routes.js';
export * from './schedules.js';
export * from './retention.js';
