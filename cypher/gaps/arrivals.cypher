// name: arrivals
// purpose: Every counted movement up to as-of with its derived facts, as one row of column lists (fast to read); aware_day is $no_day when there is none.
// params: as_of - day number; no_day - the day number for none (days.NO_DAY); scope - the analyst's states or null (added by the store)
// returns: movement_id, offender_id, from_state, to_state, arrival_date, arrival_day, conviction_state, aware_day
MATCH (m:Movement)
WHERE m.counted AND m.arrival_day <= $as_of
  AND ($scope IS NULL OR any(x IN m.scope_states WHERE x IN $scope))
WITH m
ORDER BY m.movement_id
RETURN collect(m.movement_id) AS movement_id, collect(m.offender_id) AS offender_id,
  collect(m.from_state) AS from_state, collect(m.to_state) AS to_state,
  collect(m.arrival_date) AS arrival_date, collect(m.arrival_day) AS arrival_day,
  collect(m.conviction_state) AS conviction_state, collect(coalesce(m.aware_day, $no_day)) AS aware_day
