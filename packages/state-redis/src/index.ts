export {
  createRedisStateStore,
  REDIS_DEFAULT_CACHE_MAX_BYTES,
  type RedisStateStore,
  type RedisStateStoreOptions,
} from './redis-state-store.js';
export { parseEncryptionKey } from './redis-secret-box.js';
