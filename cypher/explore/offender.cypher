// name: offender
// purpose: One offender for the Explore canvas: its attributes and its neighbours by kind of link (cases it was convicted in, states it arrived in, its state of nationality, agencies that sent or received an exchange about it); no row when it does not exist or is outside the scope.
// params: key - offender id; from_day, to_day - day numbers bounding the dated links (conviction, arrival, exchange sent), each null for none; scope - the analyst's states or null (added by the store)
// access: offenders - only offenders in $scope
// returns: detail, in_case, moved, national, exchange
MATCH (o:Offender {offender_id: $key})
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
OPTIONAL MATCH (o)-[:CONVICTED]->(c:Conviction)
WHERE c.case_id IS NOT NULL AND ($from_day IS NULL OR c.conviction_day >= $from_day) AND ($to_day IS NULL OR c.conviction_day <= $to_day)
WITH o, collect(DISTINCT c.case_id) AS cases
OPTIONAL MATCH (o)-[:MADE]->(m:Movement)
WHERE ($from_day IS NULL OR m.arrival_day >= $from_day) AND ($to_day IS NULL OR m.arrival_day <= $to_day)
WITH o, cases, collect(DISTINCT m.to_state) AS moved
OPTIONAL MATCH (e:Exchange)-[:ABOUT]->(o)
WHERE ($from_day IS NULL OR e.sent_day >= $from_day) AND ($to_day IS NULL OR e.sent_day <= $to_day)
OPTIONAL MATCH (e)-[:SENT_BY|SENT_TO]->(a:Agency)
WITH o, cases, moved, collect(DISTINCT a.agency_id) AS agencies
RETURN o {.offender_id, .nationality, .birth_year, .sex, .risk_level} AS detail, cases AS in_case, moved,
  [o.nationality] AS national, agencies AS exchange
