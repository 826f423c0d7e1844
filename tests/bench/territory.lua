-- territory.lua: wrk script for authenticated GET /territory/:x/:y over
-- the four quadrants. Args: TOKEN [DELAY_MS] (a per-connection pause
-- between requests, to hold a rate below the peak).
local token = ""
local d = 0
local paths = { "/territory/10/10", "/territory/60/10",
  "/territory/10/60", "/territory/60/60" }
local i = 0

function init(args)
  token = args[1]
  d = tonumber(args[2] or "0")
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % 4) + 1],
    { ["Authorization"] = "Bearer " .. token })
end

function delay()
  return d
end
