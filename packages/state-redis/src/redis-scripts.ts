/**
 * The Lua scripts that make each store operation atomic. Every script reads the time from
 * the Redis server (`TIME`), so replicas with skewed clocks still agree on windows and TTLs.
 * The rules are the ones of `reserveFromBudget` / `recordInBudget` in `@krate/core`.
 */

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function s(x) return string.format('%d', x) end
`;

/**
 * KEYS[1] bucket hash; ARGV cost, probe lease ms.
 * Returns {granted, remaining or wait ms (-1 = unknown), reason (0 none, 1 spent, 2 probing)}.
 */
export const RESERVE = `${NOW}
local cost = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'remaining', 'reset', 'probe', 'free')
local remaining, reset, probe, free = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]), tonumber(v[4])
if remaining and reset and now < reset then
  if remaining >= cost then
    redis.call('HSET', KEYS[1], 'remaining', s(remaining - cost))
    return {1, remaining - cost, 0}
  end
  return {0, reset - now, 1}
end
if free and now < free then return {1, -1, 0} end
if probe and now < probe then
  return {0, math.max(1, math.min(25, probe - now)), 2}
end
redis.call('HDEL', KEYS[1], 'remaining', 'reset', 'free')
redis.call('HSET', KEYS[1], 'probe', s(now + lease))
redis.call('PEXPIRE', KEYS[1], math.max(lease, 3600000))
return {1, -1, 0}
`;

/** KEYS[1] bucket hash; ARGV limit, remaining, reset ms (each '' when absent). */
export const RECORD = `${NOW}
local v = redis.call('HMGET', KEYS[1], 'remaining', 'reset', 'limit')
local remaining, reset = tonumber(v[1]), tonumber(v[2])
local limit = ARGV[1] ~= '' and ARGV[1] or v[3]
local known = remaining and reset and now < reset
if ARGV[2] == '' then
  if known then
    redis.call('HDEL', KEYS[1], 'probe')
  else
    redis.call('DEL', KEYS[1])
    redis.call('HSET', KEYS[1], 'free', s(now + 60000))
    redis.call('PEXPIRE', KEYS[1], 120000)
  end
  if limit then redis.call('HSET', KEYS[1], 'limit', limit) end
  return 1
end
local reported = tonumber(ARGV[2])
local newReset
if ARGV[3] ~= '' then newReset = tonumber(ARGV[3])
elseif reset and reset > now then newReset = reset
else newReset = now + 60000 end
local left, until_
if known and newReset <= reset + 2000 then
  left = math.max(0, math.min(remaining, reported))
  until_ = math.max(reset, newReset)
else
  left = math.max(0, reported)
  until_ = newReset
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'remaining', s(left), 'reset', s(until_))
if limit then redis.call('HSET', KEYS[1], 'limit', limit) end
redis.call('PEXPIRE', KEYS[1], math.max(until_ - now, 0) + 60000)
return 1
`;

/**
 * KEYS[1] value key, KEYS[2] sizes hash, KEYS[3] expiry-ordered set, KEYS[4] byte counter;
 * ARGV member, value, ttl ms, max bytes, value key prefix.
 * Keeps the bytes of live entries under the bound: expired entries go first, then the
 * entries closest to expiry.
 */
export const CACHE_SET = `${NOW}
local member, value = ARGV[1], ARGV[2]
local ttl, max, prefix = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local total = tonumber(redis.call('GET', KEYS[4]) or '0')
local old = tonumber(redis.call('HGET', KEYS[2], member))
if old then
  redis.call('HDEL', KEYS[2], member)
  redis.call('ZREM', KEYS[3], member)
  redis.call('DEL', KEYS[1])
  total = total - old
end
local size = string.len(member) + string.len(value)
local stored = 0
if ttl > 0 and size <= max then
  redis.call('SET', KEYS[1], value, 'PX', ttl)
  redis.call('HSET', KEYS[2], member, size)
  redis.call('ZADD', KEYS[3], now + ttl, member)
  total = total + size
  stored = 1
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 200)
for _, m in ipairs(expired) do
  total = total - (tonumber(redis.call('HGET', KEYS[2], m)) or 0)
  redis.call('HDEL', KEYS[2], m)
  redis.call('ZREM', KEYS[3], m)
end
while total > max do
  local first = redis.call('ZRANGE', KEYS[3], 0, 0)
  if #first == 0 then total = 0 break end
  local m = first[1]
  total = total - (tonumber(redis.call('HGET', KEYS[2], m)) or 0)
  redis.call('HDEL', KEYS[2], m)
  redis.call('ZREM', KEYS[3], m)
  redis.call('DEL', prefix .. m)
end
redis.call('SET', KEYS[4], s(math.max(total, 0)))
return stored
`;

/** KEYS[1] claim key; ARGV token, ttl ms. Returns {outcome, ms}. */
export const CLAIM = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], 'c:' .. ARGV[1], 'PX', ARGV[2])
  return {'claimed', 0}
end
if string.sub(v, 1, 2) == 'd:' then return {'processed', 0} end
return {'in_progress', math.max(0, redis.call('PTTL', KEYS[1]))}
`;

/** KEYS[1] claim key; ARGV token, ttl ms. 1 when confirmed by this token's holder. */
export const CONFIRM = `
local v = redis.call('GET', KEYS[1])
if v == 'c:' .. ARGV[1] or v == 'd:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'd:' .. ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

/** KEYS[1] claim key; ARGV token. 1 when released by this token's holder. */
export const RELEASE_CLAIM = `
if redis.call('GET', KEYS[1]) == 'c:' .. ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

/** KEYS[1] lock key; ARGV token. Deletes the lock only for its holder. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
