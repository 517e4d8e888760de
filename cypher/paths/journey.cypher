// name: journey
// purpose: One offender's movements up to as-of with the derived facts a journey shows (SPEC §5); no row when the offender does not exist, an empty list when it made no movement.
// params: offender_id - string; as_of - day number; scope - the analyst's states or null (added by the store)
// returns: offender_id, movements
MATCH (o:Offender {offender_id: $offender_id})
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
OPTIONAL MATCH (o)-[:MADE]->(m:Movement)
WHERE m.arrival_day <= $as_of
WITH o, m
ORDER BY m.arrival_day, m.movement_id
RETURN o.offender_id AS offender_id,
  collect(m {.movement_id, .from_state, .to_state, .arrival_date, .arrival_day, .stay_days, .counted,
    .aware_day}) AS movements
