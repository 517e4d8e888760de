// name: case
// purpose: One case (a case_id) for the Explore canvas: its first conviction date and the offenders convicted in it (in the period, when bounded) that the user may see; no row when none.
// params: key - case id; from_day, to_day - day numbers bounding the dated links (conviction, arrival, exchange sent), each null for none; scope - the analyst's states or null (added by the store)
// access: offenders - only offenders in $scope
// returns: detail, in_case
MATCH (o:Offender)-[:CONVICTED]->(c:Conviction {case_id: $key})
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
WITH o, c, ($from_day IS NULL OR c.conviction_day >= $from_day) AND ($to_day IS NULL OR c.conviction_day <= $to_day) AS inside
WITH collect(DISTINCT o.offender_id) AS members,
  collect(DISTINCT CASE WHEN inside THEN o.offender_id END) AS in_period, min(c.conviction_date) AS first_date, collect(DISTINCT c.state) AS states
WHERE size(members) > 0
RETURN {case_id: $key, first_conviction: first_date, states: states} AS detail, in_period AS in_case
