-- wrk script of e2e.sh: GET /v1/token/roles with "Authorization: Bearer <token>", the tokens read from the file in
-- the TOKENS environment variable (one a line) and sent in turn, each wrk thread starting at its own offset.
-- The requests are formatted once in init(), so wrk spends its time sending, not formatting.
local path = os.getenv("TOKENS") or error("set TOKENS to a file of tokens, one a line")
local threads = 0 -- counted in the main state by setup(); each thread gets its index as "offset"

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

local requests = {}
local n = 0
local i = 0

function init(args)
  for line in io.lines(path) do
    if #line > 0 then
      n = n + 1
      requests[n] = wrk.format("GET", "/v1/token/roles", { ["Authorization"] = "Bearer " .. line })
    end
  end
  if n == 0 then error("no tokens in " .. path) end
  -- Threads start spread over the list, so they do not send the same token at the same moment.
  local threads_total = tonumber(os.getenv("WRK_THREADS") or "1")
  i = math.floor((offset or 0) * n / threads_total) % n
end

function request()
  i = i % n + 1
  return requests[i]
end
