// name: mobile_pairs
// purpose: Candidate pairs for mobile groups: arrivals of two co-defendants (offenders sharing a case_id) in the same state within $days of each other.
// params: days - int, the largest gap in days between the two arrivals; scope - the analyst's states or null (added by the store)
// returns: case_id, state, movement_a, offender_a, arrival_date_a, movement_b, offender_b, arrival_date_b
MATCH (c1:Conviction)
WHERE c1.case_id IS NOT NULL
MATCH (c2:Conviction {case_id: c1.case_id})
WHERE c1.offender_id < c2.offender_id
WITH DISTINCT c1.case_id AS case_id, c1.offender_id AS a, c2.offender_id AS b
MATCH (m1:Movement {offender_id: a})
MATCH (m2:Movement {offender_id: b})
WHERE m2.to_state = m1.to_state AND abs(m2.arrival_day - m1.arrival_day) <= $days
  AND ($scope IS NULL OR any(x IN m1.scope_states WHERE x IN $scope)) AND ($scope IS NULL OR any(x IN m2.scope_states WHERE x IN $scope))
RETURN case_id, m1.to_state AS state,
  m1.movement_id AS movement_a, a AS offender_a, m1.arrival_date AS arrival_date_a,
  m2.movement_id AS movement_b, b AS offender_b, m2.arrival_date AS arrival_date_b
