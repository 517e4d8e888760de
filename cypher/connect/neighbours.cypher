// name: neighbours
// purpose: The co-offenders of each offender in $ids (SPEC §9: linked when they share a case_id), with the smallest case_id that links each pair; both ends only among offenders in $scope.
// params: ids - list of offender ids (one step of the search's frontier); scope - the analyst's states or null (added by the store)
// access: offenders - only offenders in $scope
// returns: offender_id, neighbour_id, case_id
UNWIND $ids AS id
MATCH (o:Offender {offender_id: id})-[:CONVICTED]->(c:Conviction)
WHERE c.case_id IS NOT NULL AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
MATCH (co:Offender)-[:CONVICTED]->(:Conviction {case_id: c.case_id})
WHERE co.offender_id <> id AND ($scope IS NULL OR any(x IN co.scope_states WHERE x IN $scope))
WITH id, co.offender_id AS neighbour_id, min(c.case_id) AS case_id
RETURN id AS offender_id, neighbour_id, case_id
