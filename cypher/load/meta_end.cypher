// name: meta_end
// purpose: Mark the load finished, remember the latest event day (the default as-of) and the version of the derived facts, and bump the data version that dashboard caches are keyed on.
// params: now - ISO timestamp (seconds, shown); changed_at - ISO timestamp (microseconds: a restore re-applies the erasures logged after it); latest_day - day number of the latest event, or null; facts_version - int
// returns: nothing
MERGE (m:Meta {name: 'load'})
SET m.pending = false, m.bulk_pending = null, m.version = coalesce(m.version, 0) + 1, m.loaded_at = $now, m.changed_at = $changed_at, m.latest_day = $latest_day,
  m.facts_version = $facts_version
