-- wrk script: every request is a search not made before in this run, so the
-- search page cache never answers and the row measures the search itself
-- (any-word fallback and synonyms included) under load. Three words from a
-- seller's vocabulary, counted through 30^3 combinations from a start given
-- as the script's argument (each wrk run starts elsewhere).
local words = {
  "refund", "damaged", "missing", "item", "parcel", "package", "tracking",
  "number", "return", "label", "customs", "international", "order", "payout",
  "fees", "invoice", "replacement", "broken", "courier", "carrier", "delivery",
  "delay", "inspection", "packing", "weight", "sku", "listing", "photos",
  "rating", "cancellation",
}
local n = #words
local i = 0

function init(args)
  i = tonumber(args[1]) or 0
end

function request()
  local a = words[i % n + 1]
  local b = words[math.floor(i / n) % n + 1]
  local c = words[math.floor(i / (n * n)) % n + 1]
  i = i + 1
  return wrk.format("GET", "/search/?q=" .. a .. "+" .. b .. "+" .. c)
end
