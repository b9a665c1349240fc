export * from './errors.js';
export * from './model/index.js';
export * from './contracts/index.js';
export * from './pagination.js';
export * from './rich-text.js';
export * from './manifest/index.js';
export * from './secrets.js';
export * from './plugin.js';
export * from './transport/index.js';
export * from './webhooks/index.js';
export * from './state/index.js';
export * from './registry.js';
export * from './load-plugin.js';
export * from './config.js';
/**
 * The zod instance core's schemas are made with. Providers build their config
 * schemas with it, so a provider needs no zod dependency of its own.
 */
export { z } from 'zod';
