// name: meta_end
// purpose: Mark the load finished and bump the data version that dashboard caches are keyed on.
// params: now - ISO timestamp
// returns: nothing
MERGE (m:Meta {name: 'load'})
SET m.pending = false, m.version = coalesce(m.version, 0) + 1, m.loaded_at = $now
