// name: record
// purpose: Record a case on a movement (SPEC §8): a new (:Case)-[:ON]->(:Movement), never changing the movement. Only movements into the analyst's own states match, so a case outside the jurisdiction is written nowhere; no row back means nothing was written.
// params: movement_id - string; case_key - string, sortable by time; props - map of the case's other properties (no nulls); scope - the analyst's states or null (added by the store)
// access: offenders - filtered on $scope
// returns: offender_id, to_state
MATCH (m:Movement {movement_id: $movement_id})
WHERE $scope IS NULL OR m.to_state IN $scope
CREATE (k:Case {case_key: $case_key})-[:ON]->(m)
SET k += $props
RETURN m.offender_id AS offender_id, m.to_state AS to_state
