// name: supervision
// purpose: Every movement up to as-of made while a supervision from another state was running, with the earliest FD947 transfer day (SPEC §4.4), as column lists; aware_day is $no_day when there is none.
// params: as_of - day number; no_day - the day number for none (days.NO_DAY); scope - the analyst's states or null (added by the store)
// returns: movement_id, conviction_id, offender_id, supervising_state, to_state, arrival_day, aware_day
MATCH (m:Movement)-[s:SUPERVISION]->(c:Conviction)
WHERE m.arrival_day <= $as_of
  AND ($scope IS NULL OR any(x IN m.scope_states WHERE x IN $scope))
WITH m, s, c
ORDER BY m.movement_id, c.conviction_id
RETURN collect(m.movement_id) AS movement_id, collect(c.conviction_id) AS conviction_id,
  collect(m.offender_id) AS offender_id, collect(s.supervising_state) AS supervising_state,
  collect(m.to_state) AS to_state, collect(m.arrival_day) AS arrival_day,
  collect(coalesce(s.aware_day, $no_day)) AS aware_day
