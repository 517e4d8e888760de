// name: visible
// purpose: Which of the given offender ids exist and are visible to the user (SPEC §9: the two ends of a connection).
// params: ids - list of offender ids; scope - the analyst's states or null (added by the store)
// access: offenders - only offenders in $scope
// returns: offender_id
UNWIND $ids AS id
MATCH (o:Offender {offender_id: id})
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
RETURN o.offender_id AS offender_id
