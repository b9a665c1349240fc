export * from './v1.js';
export * from './catalog.js';
