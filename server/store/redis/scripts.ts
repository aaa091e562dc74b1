import { defineScript, type CommandParser } from '@redis/client';

/**
 * Every operation of the hot state in Redis is one of these scripts: Redis runs a script to its
 * end before any other command, so each is atomic across every instance sharing the server.
 * They run by EVALSHA; the client falls back to EVAL on NOSCRIPT, so a `SCRIPT FLUSH` or a
 * restarted Redis costs one round trip, not an error.
 *
 * Time is always an argument (the server's injected clock), never Redis `TIME`: tests move a
 * manual clock, and every instance already agrees on the time to the millisecond it matters.
 * Each record carries its expiry by that clock, and a `PEXPIRE` of the same length so Redis
 * frees it by itself. The expiry index (the last key) holds one entry per digest (keys.ts): the
 * latest expiry of anything kept under it, only ever raised (ZADD GT), so the purge never deletes
 * a record early; one entry for an identifier's code, limits and counts together. ZADD GT
 * needs Redis 6.2 or later.
 */

/** Raises the index entry of a key's digest (the hash tag between its braces) to `expires`. */
const INDEX = `
local function index(into, key, expires)
  redis.call('ZADD', into, 'GT', expires, string.match(key, '{(%x+)}'))
end
`;

/** A script that takes its keys and arguments as given and answers what Redis answers. */
function script(source: string) {
  return defineScript({
    SCRIPT: source,
    // The number of keys varies (a request's limits span its keys), so it is given per call.
    parseCommand(parser: CommandParser, keys: string[], args: Array<string | number | Buffer>) {
      parser.pushKeysLength(keys);
      for (const arg of args) parser.push(typeof arg === 'number' ? String(arg) : arg);
    },
    transformReply: (reply: unknown) => reply,
  } as const);
}

// The times of a limit's hits are packed as 6-byte unsigned integers (milliseconds to the year
// 10889), after one for when the last of them stops counting: the SQLite engine's compact row
// (hot-records.ts), here one hash field per limit.
const PACKING = `
local function unpack_hits(raw)
  if not raw then return nil end
  local expires, at = struct.unpack('>I6', raw)
  local times = {}
  while at <= #raw do
    local t
    t, at = struct.unpack('>I6', raw, at)
    times[#times + 1] = t
  end
  return expires, times
end
local function pack_hits(expires, times)
  local parts = { struct.pack('>I6', expires) }
  for i = 1, #times do parts[#parts + 1] = struct.pack('>I6', times[i]) end
  return table.concat(parts)
end
`;

// A code record is one string: its version and its expiry (6-byte integers), then the record's
// bytes (hot-records.ts). A string, not a hash: a record of ~90 bytes is past a hash's compact
// encoding (64-byte values) and would take 2.5 times the memory.
const CODE_HEADER = `
local function header(raw)
  if not raw then return 0, 0 end
  return struct.unpack('>I6I6', raw)
end
`;

/** KEYS: the code record. ARGV: now. Answers { version, record or false }; an expired record reads as none. */
export const codesRead = script(`${CODE_HEADER}
local raw = redis.call('GET', KEYS[1])
local v, e = header(raw)
if not raw or e <= tonumber(ARGV[1]) then return { v, false } end
return { v, string.sub(raw, 13) }
`);

/**
 * KEYS: the code record, the expiry index. ARGV: the version read, the new record, its expiry,
 * its time to live. Writes only when nobody wrote since the read (compare-and-set), with the
 * next version; answers 1 when written, 0 when the caller must read again.
 */
export const codesWrite = script(`${CODE_HEADER}${INDEX}
local v = header(redis.call('GET', KEYS[1]))
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], struct.pack('>I6I6', v + 1, tonumber(ARGV[3])) .. ARGV[2], 'PX', ARGV[4])
index(KEYS[2], KEYS[1], ARGV[3])
return 1
`);

/**
 * KEYS: the sequence. ARGV: now in microseconds. The order of a new code: one more than the
 * last, or the clock when it is ahead (the SQLite engine's max(value + 1, now)). Doubles hold
 * whole microseconds exactly until 2255; %.0f keeps Lua from writing them as 1.7e+15.
 */
export const nextOrder = script(`
local next = math.max((tonumber(redis.call('GET', KEYS[1])) or 0) + 1, tonumber(ARGV[1]))
redis.call('SET', KEYS[1], string.format('%.0f', next))
return next
`);

/**
 * KEYS: the hit records of the request's keys (one hash per key, a field per limit), then the
 * expiry index. ARGV: now, force (1: count whatever the limits say), the number of checks, then
 * per check: the index of its key in KEYS, the limit's name, its limit, its window.
 *
 * Reads every check's hits; when any limit refuses (and not forced) writes nothing and answers,
 * per refusal, when it frees (the hit `limit` places from the newest, plus the window). Else
 * adds one hit per check, keeping at most `limit` (10,000 at most) of those in the window,
 * drops the limits whose hits all stopped counting, and answers an empty list.
 */
export const limitsConsume = script(`${PACKING}${INDEX}
local now, force, n = tonumber(ARGV[1]), ARGV[2] == '1', tonumber(ARGV[3])
local fields = {}
local function field(k, name)
  fields[k] = fields[k] or {}
  local f = fields[k][name]
  if not f then
    local _, times = unpack_hits(redis.call('HGET', KEYS[k], name))
    f = { times = times or {} }
    fields[k][name] = f
  end
  return f
end
local checks, frees = {}, {}
for i = 0, n - 1 do
  local k, name, limit, window = tonumber(ARGV[4 + i * 4]), ARGV[5 + i * 4], tonumber(ARGV[6 + i * 4]), tonumber(ARGV[7 + i * 4])
  local f = field(k, name)
  local recent = {}
  for _, t in ipairs(f.times) do if t > now - window then recent[#recent + 1] = t end end
  f.times = recent
  if #recent >= limit then
    frees[#frees + 1] = (limit >= 1 and recent[#recent - limit + 1] or now) + window
  end
  checks[#checks + 1] = { f = f, limit = limit, window = window }
end
if #frees > 0 and not force then return frees end
for _, c in ipairs(checks) do
  local times = c.f.times
  times[#times + 1] = now
  local keep = math.min(c.limit, 10000)
  while #times > keep do table.remove(times, 1) end
  c.f.expires = now + c.window
end
for k, named in pairs(fields) do
  for name, f in pairs(named) do redis.call('HSET', KEYS[k], name, pack_hits(f.expires, f.times)) end
  -- The key lives as long as its longest-lived limit; the others' stale fields go now.
  local longest = 0
  local all = redis.call('HGETALL', KEYS[k])
  for j = 1, #all, 2 do
    local expires = unpack_hits(all[j + 1])
    if expires <= now then redis.call('HDEL', KEYS[k], all[j]) elseif expires > longest then longest = expires end
  end
  redis.call('PEXPIRE', KEYS[k], longest - now)
  index(KEYS[#KEYS], KEYS[k], longest)
end
return {}
`);

/** KEYS: a key's hit record. ARGV: the limit's name. Answers its hit times (the caller filters by window). */
export const limitTimes = script(`${PACKING}
local _, times = unpack_hits(redis.call('HGET', KEYS[1], ARGV[1]))
return times or {}
`);

// A key's failure counts, one hash field per counter: the count, the last failure and when the
// count stops being kept, as 6-byte integers.
const FAILURES = `
local function read_count(raw, now)
  if not raw then return 0, 0 end
  local count, last, expires = struct.unpack('>I6I6I6', raw)
  if expires <= now then return 0, 0 end
  return count, last
end
`;

/**
 * KEYS: a key's failure counts, the expiry index. ARGV: now, how long the count is kept, the
 * counter. One more failure in a row, or the first again once the count's keeping ended.
 */
export const failuresAdd = script(`${FAILURES}${INDEX}
local now, keep = tonumber(ARGV[1]), tonumber(ARGV[2])
local count = read_count(redis.call('HGET', KEYS[1], ARGV[3]), now) + 1
redis.call('HSET', KEYS[1], ARGV[3], struct.pack('>I6I6I6', count, now, now + keep))
-- Kept as long as its longest-kept counter: another counter's may be longer than this one's.
if redis.call('PTTL', KEYS[1]) < keep then redis.call('PEXPIRE', KEYS[1], keep) end
index(KEYS[2], KEYS[1], now + keep)
return count
`);

/** KEYS: a key's failure counts. ARGV: now, the counter. Answers { count, last failure } while it is kept, else { 0, 0 }. */
export const failuresRead = script(`${FAILURES}
return { read_count(redis.call('HGET', KEYS[1], ARGV[2]), tonumber(ARGV[1])) }
`);

/** KEYS: a key's failure counts. ARGV: the counter. Forgets its count (a sign-in succeeded). */
export const failuresReset = script(`
return redis.call('HDEL', KEYS[1], ARGV[1])
`);

/**
 * KEYS: the expiry index. ARGV: now, the batch size, the key prefix. Deletes the records of up to
 * a batch of digests whose latest expiry (by the injected clock) has passed; answers { records
 * deleted, index entries taken }. In production Redis has mostly dropped them already by their
 * PEXPIRE: only the index entry is left, and it goes here. The records' names are made here, not
 * declared: fine on a single primary, which this engine needs anyway (keys.ts).
 */
export const purgeBatch = script(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #due == 0 then return { 0, 0 } end
local records = {}
for _, digest in ipairs(due) do
  for _, kind in ipairs({ 'codes', 'limits', 'fail' }) do records[#records + 1] = ARGV[3] .. '{' .. digest .. '}:' .. kind end
end
local deleted = redis.call('DEL', unpack(records))
redis.call('ZREM', KEYS[1], unpack(due))
return { deleted, #due }
`);

export const scripts = { codesRead, codesWrite, nextOrder, limitsConsume, limitTimes, failuresAdd, failuresRead, failuresReset, purgeBatch };
