-- wrk script: one check-in per request, a new phone each time, spread over the venues listed in venues.txt.
-- Usage: wrk -t2 -c64 -d20s -s bench/wrk/checkin.lua http://127.0.0.1:5080 -- RUN (0-9; from the repository root)
local venues = {}
for line in io.lines("bench/wrk/venues.txt") do
  if #line > 0 then venues[#venues + 1] = line end
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  -- the run's number (0-9, after "--") starts the counter at run * 1,000,000: every run of a session has new phones
  counter = (tonumber(args[1]) or 0) * 1000000
end

function request()
  counter = counter + 1
  -- 09 + thread digit + 7-digit counter: unique per run for up to 10 threads and 10 million requests each
  local phone = string.format("09%d%07d", tid, counter % 10000000)
  local venue = venues[(counter % #venues) + 1]
  local body = '{"venueCode":"' .. venue .. '","phone":"' .. phone .. '"}'
  return wrk.format("POST", "/api/v1/checkins", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 201 then
    errors_seen = (errors_seen or 0) + 1
    if errors_seen <= 3 then io.stderr:write("status " .. status .. ": " .. body:sub(1, 200) .. "\n") end
  end
end
