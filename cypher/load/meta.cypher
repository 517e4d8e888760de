// name: meta
// purpose: The load bookkeeping: whether a load is unfinished, and the data version (bumped by every load that changed something).
// params: none
// returns: pending, version, loaded_at
OPTIONAL MATCH (m:Meta {name: 'load'})
RETURN coalesce(m.pending, false) AS pending, coalesce(m.version, 0) AS version, m.loaded_at AS loaded_at
