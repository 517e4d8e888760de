// name: meta
// purpose: The load bookkeeping: whether a load (and whether a bulk first load) is unfinished, the data version (bumped by every load that changed something), when the data last changed, the latest event day and the version of the derived facts.
// params: none
// returns: pending, bulk_pending, version, loaded_at, changed_at, latest_day, facts_version
OPTIONAL MATCH (m:Meta {name: 'load'})
RETURN coalesce(m.pending, false) AS pending, coalesce(m.bulk_pending, false) AS bulk_pending, coalesce(m.version, 0) AS version, m.loaded_at AS loaded_at,
  m.changed_at AS changed_at, m.latest_day AS latest_day, m.facts_version AS facts_version
