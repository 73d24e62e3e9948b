-- Run by Debian's /usr/bin/lua5.4 on the kernel (tests/Osv.Integration.Tests/LuaTests.cs): the
-- interpreter's own code paths, with the C library underneath (stdio, math, setjmp for errors,
-- time, the file system).
local function fibonacci(n)
  if n < 2 then return n end
  return fibonacci(n - 1) + fibonacci(n - 2)
end

local numbers = {}
for i = 1, 12 do numbers[#numbers + 1] = fibonacci(i) end
print("fibonacci: " .. table.concat(numbers, " "))

local words = {}
for word in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[#words + 1] = word end
table.sort(words)
print("sorted: " .. table.concat(words, ","))

print(string.format("math: pi %.6f, 2^10 %d, sqrt(2) %.4f, 7 // 2 = %d, 7 %% 3 = %d", math.pi, 2 ^ 10 // 1, math.sqrt(2), 7 // 2, 7 % 3))
print("tonumber: " .. tonumber("0x1F") .. " " .. tonumber("2.5e3") .. " " .. tostring(tonumber("nope")))

local ok, message = pcall(function() error("boom", 0) end)
print("pcall caught: " .. tostring(not ok) .. ", message " .. message)
local nested = select(2, pcall(function()
  local inner_ok, inner = pcall(function() local t = nil; return t.field end)
  error("outer after inner " .. tostring(inner_ok), 0)
end))
print("nested: " .. nested)

local squares = coroutine.wrap(function()
  for i = 1, 4 do coroutine.yield(i * i) end
end)
print("coroutine: " .. squares() .. " " .. squares() .. " " .. squares() .. " " .. squares())

local path = "/tmp/lua-lines.txt"
local file = assert(io.open(path, "w"))
for i = 1, 5 do file:write("line ", i, "\n") end
file:close()
local count, total = 0, 0
for line in io.lines(path) do
  count = count + 1
  total = total + tonumber(line:match("%d+"))
end
print("file: " .. count .. " lines, sum " .. total)
local reader = assert(io.open(path))
print("read number: " .. reader:read("l") .. " / " .. reader:seek("set", 0) .. " / " .. reader:read(4))
reader:close()
print("remove: " .. tostring(os.remove(path)))

print("date: " .. os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365))
print("clock is a number: " .. tostring(type(os.clock()) == "number"))
print("getenv: " .. tostring(os.getenv("LUA_GREETING")))
print("args: " .. #arg .. " " .. table.concat(arg, " "))
os.exit(tonumber(arg[1]) or 0)
