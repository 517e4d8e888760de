// name: latest
// purpose: The cases recorded on the given movements, as column lists, for picking the latest per movement (largest case_key: keys sort by the time they were recorded). Only movements into the analyst's states.
// params: ids - list of movement_id values; scope - the analyst's states or null (added by the store)
// access: offenders - filtered on $scope
// returns: movement_id, case_key, status, mechanism, requested_date, reason, note, recorded_by, recorded_at
UNWIND $ids AS id
MATCH (k:Case)-[:ON]->(m:Movement {movement_id: id})
WHERE $scope IS NULL OR m.to_state IN $scope
RETURN collect(m.movement_id) AS movement_id, collect(k.case_key) AS case_key, collect(k.status) AS status,
  collect(coalesce(k.mechanism, '')) AS mechanism, collect(coalesce(k.requested_date, '')) AS requested_date,
  collect(coalesce(k.reason, '')) AS reason, collect(coalesce(k.note, '')) AS note,
  collect(k.recorded_by) AS recorded_by, collect(k.recorded_at) AS recorded_at
