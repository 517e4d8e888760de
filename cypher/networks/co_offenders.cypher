// name: co_offenders
// purpose: Members of every case shared by two or more offenders (co-defendants), with the members' attributes.
// params: none; scope - the analyst's states or null (added by the store)
// returns: case_id, case_date (the first conviction date of the case), offender_id, nationality, risk_level
MATCH (o:Offender)-[:CONVICTED]->(c:Conviction)
WHERE c.case_id IS NOT NULL AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
WITH c.case_id AS case_id, collect(DISTINCT o) AS members, min(c.conviction_date) AS case_date
WHERE size(members) > 1
UNWIND members AS o
RETURN case_id, case_date, o.offender_id AS offender_id, o.nationality AS nationality, o.risk_level AS risk_level
