// name: state
// purpose: One state for the Explore canvas: its attributes, its agencies, and (the first $limit by id, with their totals) the offenders who arrived in it and its nationals that the user may see; no row when it does not exist.
// params: key - state code; from_day, to_day - day numbers bounding the dated links (conviction, arrival, exchange sent), each null for none; limit - at most this many offenders per kind of link; scope - the analyst's states or null (added by the store)
// access: offenders - only offenders in $scope
// returns: detail, located, moved, moved_total, national, national_total
MATCH (s:State {code: $key})
OPTIONAL MATCH (a:Agency)-[:IN]->(s)
WITH s, collect(DISTINCT a.agency_id) AS agencies
OPTIONAL MATCH (o:Offender)-[:MADE]->(m:Movement {to_state: $key})
WHERE ($from_day IS NULL OR m.arrival_day >= $from_day) AND ($to_day IS NULL OR m.arrival_day <= $to_day)
  AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
WITH s, agencies, o
ORDER BY o.offender_id
WITH s, agencies, collect(DISTINCT o.offender_id) AS moved
OPTIONAL MATCH (o:Offender {nationality: $key})
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
WITH s, agencies, moved, o
ORDER BY o.offender_id
WITH s, agencies, moved, collect(o.offender_id) AS national
RETURN s {.code, .name, .eu, .schengen} AS detail, agencies AS located, moved[..$limit] AS moved,
  size(moved) AS moved_total, national[..$limit] AS national, size(national) AS national_total
