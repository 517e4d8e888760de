// name: meta_end
// purpose: Mark the load finished, remember the latest event day (the default as-of) and the version of the derived facts, and bump the data version that dashboard caches are keyed on.
// params: now - ISO timestamp; latest_day - day number of the latest event, or null; facts_version - int
// returns: nothing
MERGE (m:Meta {name: 'load'})
SET m.pending = false, m.version = coalesce(m.version, 0) + 1, m.loaded_at = $now, m.latest_day = $latest_day,
  m.facts_version = $facts_version
