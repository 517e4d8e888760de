// name: ecris
// purpose: Every qualifying conviction outside the offender's state of nationality up to as-of, with the earliest ECRIS notice day (SPEC §4.3), as column lists; aware_day is $no_day when there is none.
// params: as_of - day number; no_day - the day number for none (days.NO_DAY); scope - the analyst's states or null (added by the store)
// returns: conviction_id, offender_id, convicting_state, nationality, conviction_day, aware_day
MATCH (o:Offender)-[:CONVICTED]->(c:Conviction)
WHERE c.ecris_counted AND c.conviction_day <= $as_of
  AND ($scope IS NULL OR any(x IN c.scope_states WHERE x IN $scope))
WITH o, c
ORDER BY c.conviction_id
RETURN collect(c.conviction_id) AS conviction_id, collect(o.offender_id) AS offender_id,
  collect(c.state) AS convicting_state, collect(o.nationality) AS nationality,
  collect(c.conviction_day) AS conviction_day, collect(coalesce(c.ecris_aware_day, $no_day)) AS aware_day
