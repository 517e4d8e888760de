// name: passed_through
// purpose: Offenders who passed through a state: arrived in it and later left it; one row per stay.
// params: state string - the transit state (ISO alpha-2), e.g. AT
// params: date_from date = null - first arrival date in the state, inclusive
// params: date_to date = null - last arrival date in the state, inclusive
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: offender_id, nationality, risk_level, arrived_from, arrival_date, left_to, departure_date, days_stayed
MATCH (o:Offender)-[:MADE]->(m:Movement)-[:TO]->(:State {code: $state})
MATCH (m)-[:NEXT]->(n:Movement)
WHERE ($date_from IS NULL OR m.arrival_date >= $date_from)
  AND ($date_to IS NULL OR m.arrival_date <= $date_to)
  AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
RETURN o.offender_id AS offender_id, o.nationality AS nationality, o.risk_level AS risk_level,
  m.from_state AS arrived_from, m.arrival_date AS arrival_date, n.to_state AS left_to,
  n.arrival_date AS departure_date, n.arrival_day - m.arrival_day AS days_stayed
ORDER BY arrival_date, offender_id
