export * from './common.js';
export * from './lifecycle.js';
export * from './issue-tracking.js';
export * from './cicd.js';
export * from './git-forge.js';
export * from './sync-event.js';
