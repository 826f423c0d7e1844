-- verify.lua: wrk script sending each prepared /auth/verify body once.
-- Usage: wrk -s verify.lua URL -- BODIES_FILE ; counts 200s and others.
local bodies = {}
local idx = 0
ok = 0
bad = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
end

function request()
  idx = idx + 1
  local b = bodies[((idx - 1) % #bodies) + 1]
  return wrk.format("POST", "/auth/verify",
    { ["Content-Type"] = "application/json" }, b)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("bad")
  end
  io.write(string.format("verify_ok %d verify_bad %d seconds %.3f\n",
    o, b, summary.duration / 1e6))
end
