/**
 * Lua, run after the layout's definitions (LAYOUT in redis-state.ts, `load` included): reads a card or a terminal of
 * the layout before 2026-12-04 (hashes `c:`, `t:`, `f:` with MessagePack or text records, a list `q:` per card) into
 * the current one and removes it; a no-op when there is none. Once no state of that layout can be left (its keys
 * expire 38 days after their last write), this file and its two calls can go.
 */
export const MIGRATE = `
local function entry(s)
  if string.byte(s, 1) >= 128 then return cmsgpack.unpack(s) end
  local h, c, x, tid = string.match(s, '^([^,]+),([^,]+),([^,]+),(.*)$')
  return {tonumber(h), tonumber(c), tonumber(x), tid}
end
local function oldCard(p, cid, ttl)
  local ck, qk = p .. 'c:' .. cid, p .. 'q:' .. cid
  local m = redis.call('HGET', ck, 'm')
  if not m then return false end
  local v = load(m)
  local H, bks, i1, i7 = v[1], {}, 0, 0
  local byPair, bh, bn, bs, bx = {}, nil, 0, 0, 0
  local function flush()
    if not bh then return end
    bks[#bks + 1] = spack(CB, bh, bn, bs, bx)
    if bh <= H - W1 then i1 = #bks end
    if bh <= H - W7 then i7 = #bks end
  end
  for _, q in ipairs(redis.call('LRANGE', qk, 0, -1)) do
    local e = entry(q)
    if bh ~= e[1] then
      flush()
      bh, bn, bs, bx = e[1], 0, 0, 0
    end
    bn, bs, bx = bn + 1, bs + e[2], bx + e[3]
    local pr = byPair[e[4]] or {n = 0, hours = {}, counts = {}}
    byPair[e[4]] = pr
    if pr.hours[#pr.hours] ~= e[1] then
      pr.hours[#pr.hours + 1], pr.counts[#pr.counts + 1] = e[1], 0
    end
    pr.n, pr.counts[#pr.counts] = pr.n + 1, pr.counts[#pr.counts] + 1
  end
  flush()
  for tid, pr in pairs(byPair) do
    local parts = {spack('<d', pr.n)}
    for j, hour in ipairs(pr.hours) do parts[j + 1] = spack(TB, hour, pr.counts[j]) end
    redis.call('SET', p .. 'P:' .. tid .. '\\0' .. cid, table.concat(parts), 'EX', ttl)
  end
  redis.call('SET', p .. 'C:' .. cid, spack(CH, H, i1, i7, v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
    v[16] or v[6], v[17] or v[9]) .. table.concat(bks), 'EX', ttl)
  redis.call('DEL', ck, qk)
  return true
end
local function oldTerminal(p, tid, shift)
  local tk, fk = p .. 't:' .. tid, p .. 'f:' .. tid
  local all, frauds = redis.call('HGETALL', tk), redis.call('HGETALL', fk)
  if #all == 0 and #frauds == 0 then return nil end
  local HT, T1, T7, T30, SF, SN = NONE, 0, 0, 0, -1, 0
  local hours, counts = {}, {}
  for j = 1, #all, 2 do
    if all[j] == 'm' then
      local a = load(all[j + 1])
      HT, SF, SN = a[1], a[5] or -1, a[6] or 0
    elseif tonumber(all[j]) then
      hours[#hours + 1] = tonumber(all[j])
      counts[all[j]] = tonumber(all[j + 1])
    end
  end
  table.sort(hours)
  local e = HT - shift
  local buckets, nb, c7, c1, ce = {}, 0, 0, 0, 0
  for _, fh in ipairs(hours) do
    if fh > e - W30 then
      local n = counts[tostring(fh)]
      buckets[#buckets + 1] = spack(TB, fh, n)
      nb = nb + 1
      if fh <= e - W7 then c7 = nb end
      if fh <= e - W1 then c1 = nb end
      if fh <= e then
        ce = nb
        T30 = T30 + n
        if fh > e - W7 then T7 = T7 + n end
        if fh > e - W1 then T1 = T1 + n end
      end
    end
  end
  local fs = {}
  for j = 1, #frauds, 2 do
    local f = tonumber(frauds[j])
    local fh = math.floor(f / 1000000)
    fs[#fs + 1] = spack(TF, fh, fh + f % 1000000 - 500000, tonumber(frauds[j + 1]))
  end
  redis.call('DEL', tk, fk)
  return spack(TH, HT, T1, T7, T30, SF, SN, nb, #fs, c7, c1, ce) .. table.concat(buckets) .. table.concat(fs)
end
`;
