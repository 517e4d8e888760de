// name: counts
// purpose: How many rows each receiving state's work queue (SPEC §8) holds on as-of, by the status of their latest case (open: none recorded); counts only, for supervisors.
// params: as_of - day number
// access: aggregate - counts per state, no offender ids
// returns: state, rows, open, requested, closed
MATCH (m:Movement)
WHERE m.counted AND m.arrival_day <= $as_of
  AND (m.aware_day IS NULL OR m.aware_day > $as_of)
  AND (m.stay_days IS NULL OR m.arrival_day + m.stay_days > $as_of)
OPTIONAL MATCH (k:Case)-[:ON]->(m)
WITH m, max(k.case_key) AS latest
OPTIONAL MATCH (l:Case {case_key: latest})
WITH m.to_state AS state, coalesce(l.status, 'open') AS case_status
RETURN state, count(*) AS rows,
  sum(CASE WHEN case_status = 'open' THEN 1 ELSE 0 END) AS open,
  sum(CASE WHEN case_status = 'requested' THEN 1 ELSE 0 END) AS requested,
  sum(CASE WHEN case_status = 'closed' THEN 1 ELSE 0 END) AS closed
ORDER BY state
