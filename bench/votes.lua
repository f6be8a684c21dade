-- wrk script for votes: each request is one distinct citizen's ballot, signed in by cookie.
-- Arguments: voters file ("sessionid csrftoken" a line), threads, poll path, option id, origin.
-- A thread stops when its voters run out, so that no citizen votes twice.
local threads = {}

setup = function(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

init = function(args)
  voters, next_voter, accepted, rejected = {}, 0, 0, 0
  local file, count = args[1], tonumber(args[2])
  path, option, origin = args[3], args[4], args[5]
  local n = 0
  for line in io.lines(file) do
    if n % count == id then table.insert(voters, line) end
    n = n + 1
  end
end

request = function()
  next_voter = next_voter + 1
  local voter = voters[next_voter]
  if voter == nil then
    wrk.thread:stop()
    voter = voters[#voters]
  end
  local session, csrf = voter:match("(%S+) (%S+)")
  return wrk.format("POST", path, {
    ["Cookie"] = "sessionid=" .. session .. "; csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Origin"] = origin,
    ["X-Forwarded-Proto"] = "https",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "option=" .. option)
end

response = function(status, headers, body)
  -- An accepted vote answers 303, to its receipt (post/redirect/get); a refusal 302 or 429.
  if status == 303 then accepted = accepted + 1 else rejected = rejected + 1 end
end

done = function(summary, latency, requests)
  local a, r = 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    r = r + thread:get("rejected")
  end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "accepted": %d, "rejected": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration, a, r, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
