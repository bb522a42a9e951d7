-- wrk script: each request is a POST from the next job seeker in a prepared list.
-- Lines of the list file: "<path> <sessionid> <csrf secret>"; the list is cycled.
local entries = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    local path, session, csrf = line:match("^(%S+) (%S+) (%S+)$")
    if path then
      table.insert(entries, { path = path, session = session, csrf = csrf })
    end
  end
  body_extra = args[2] or ""
end

function request()
  i = i % #entries + 1
  local e = entries[i]
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "sessionid=" .. e.session .. "; csrftoken=" .. e.csrf,
  }
  local body = "csrfmiddlewaretoken=" .. e.csrf .. body_extra
  return wrk.format("POST", e.path, headers, body)
end
