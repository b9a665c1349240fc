import type { TestProject } from 'vitest/node';
import { startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:<port>` of the redis-server the test run started. */
    redisUrl: string;
  }
}

/** Starts one redis-server for the whole run (loopback, free port, nothing on disk) and stops it after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return () => server.dispose();
}
