// name: movement
// purpose: One movement for the Explore canvas: its attributes, the offender who made it and its from and to states (none when the period, if bounded, does not hold the arrival); no row when it does not exist or its offender is outside the scope.
// params: key - movement id; from_day, to_day - day numbers bounding the arrival date, each null for none; scope - the analyst's states or null (added by the store)
// access: offenders - only movements of offenders in $scope
// returns: detail, made, route
MATCH (o:Offender)-[:MADE]->(m:Movement {movement_id: $key})
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
WITH o, m, ($from_day IS NULL OR m.arrival_day >= $from_day) AND ($to_day IS NULL OR m.arrival_day <= $to_day) AS inside
RETURN m {.movement_id, offender_id: o.offender_id, .from_state, .to_state, .arrival_date, .stay_days} AS detail,
  CASE WHEN inside THEN [o.offender_id] ELSE [] END AS made, CASE WHEN inside THEN [m.from_state, m.to_state] ELSE [] END AS route
