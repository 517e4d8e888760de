// name: agency
// purpose: One agency for the Explore canvas: its attributes, its state, and (the first $limit by id, with their total) the offenders it sent or received an exchange about that the user may see; no row when it does not exist.
// params: key - agency id; from_day, to_day - day numbers bounding the dated links (conviction, arrival, exchange sent), each null for none; limit - at most this many offenders; scope - the analyst's states or null (added by the store)
// access: offenders - only offenders in $scope
// returns: detail, located, exchange, exchange_total
MATCH (a:Agency {agency_id: $key})
OPTIONAL MATCH (a)<-[:SENT_BY|SENT_TO]-(e:Exchange)-[:ABOUT]->(o:Offender)
WHERE ($from_day IS NULL OR e.sent_day >= $from_day) AND ($to_day IS NULL OR e.sent_day <= $to_day)
  AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
WITH a, o
ORDER BY o.offender_id
WITH a, collect(DISTINCT o.offender_id) AS offenders
RETURN a {.agency_id, .name, .state, .kind} AS detail, [a.state] AS located, offenders[..$limit] AS exchange,
  size(offenders) AS exchange_total
