// name: rows
// purpose: The work queue of one receiving state (SPEC §8): counted movements into it up to as-of with no aware day up to as-of (unnotified or pending) that are their offender's latest arrival up to as-of (no next arrival on or before it: the NEXT order breaks ties on the date by movement_id), with the offender's risk and nationality, its supervisions running on as-of in other states and the keys and statuses of its cases, as lists.
// params: state - receiving state; as_of - day number; scope - the analyst's states or null (added by the store)
// access: offenders - only a state in $scope
// returns: movement_id, offender_id, risk_level, risk_rank, nationality, from_state, to_state, arrival_date, arrival_day, conviction_state, supervision_states, supervision_ends, supervision_ids, case_keys, case_statuses
MATCH (o:Offender)-[:MADE]->(m:Movement)
WHERE m.to_state = $state AND m.counted AND m.arrival_day <= $as_of
  AND (m.aware_day IS NULL OR m.aware_day > $as_of)
  AND (m.stay_days IS NULL OR m.arrival_day + m.stay_days > $as_of)
  AND ($scope IS NULL OR $state IN $scope)
OPTIONAL MATCH (o)-[:CONVICTED]->(c:Conviction)
WHERE c.state <> $state AND c.conviction_day <= $as_of AND c.supervision_end_day > $as_of
WITH o, m, collect(c.state) AS supervision_states, collect(c.supervision_end_day) AS supervision_ends,
  collect(c.conviction_id) AS supervision_ids
OPTIONAL MATCH (k:Case)-[:ON]->(m)
WITH o, m, supervision_states, supervision_ends, supervision_ids, collect(k.case_key) AS case_keys,
  collect(k.status) AS case_statuses
RETURN m.movement_id AS movement_id, o.offender_id AS offender_id, o.risk_level AS risk_level,
  o.risk_rank AS risk_rank, o.nationality AS nationality, m.from_state AS from_state, m.to_state AS to_state,
  m.arrival_date AS arrival_date, m.arrival_day AS arrival_day, m.conviction_state AS conviction_state,
  supervision_states, supervision_ends, supervision_ids, case_keys, case_statuses
