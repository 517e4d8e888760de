// name: meta
// purpose: The load bookkeeping: whether a load is unfinished, the data version (bumped by every load that changed something) and the latest event day.
// params: none
// returns: pending, version, loaded_at, latest_day
OPTIONAL MATCH (m:Meta {name: 'load'})
RETURN coalesce(m.pending, false) AS pending, coalesce(m.version, 0) AS version, m.loaded_at AS loaded_at,
  m.latest_day AS latest_day
