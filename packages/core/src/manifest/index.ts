export * from './schema.js';
export * from './query.js';
export * from './parse.js';
