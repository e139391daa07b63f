-- wrk script: a fixed request rate, as wrk2 would give (wrk2 is not in Debian).
--
--   wrk -t THREADS -c CONNECTIONS -d DURATION -s bench/pace.lua URL -- RATE THREADS
--
-- Each wrk thread (its own Lua state) hands out send times RATE/THREADS apart; a connection that
-- is ready asks delay() for the next free time and waits until then. So the rate holds as long as
-- there are enough idle connections, whatever the latency; after a stall the missed send times
-- are caught up (at most one second's worth), so that the count of requests stays RATE x DURATION.
-- wrk's timers have millisecond resolution; the error does not add up because the times are
-- absolute.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *ts);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval_ms
local next_ms

function init(args)
  local rate = tonumber(args[1])
  local threads = tonumber(args[2])
  interval_ms = 1000 * threads / rate
end

function delay()
  local now = now_ms()
  if next_ms == nil or next_ms < now - 1000 then
    next_ms = now
  end
  local at = next_ms
  next_ms = next_ms + interval_ms
  if at <= now then
    return 0
  end
  return math.floor(at - now + 0.5)
end
