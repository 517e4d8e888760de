// name: acknowledge
// purpose: Mark movements acknowledged for one watch rule (SPEC §10): (:WatchRule)-[:ACKNOWLEDGED {at}]->(:Movement), once per pair (acknowledging again keeps the first time). A link, not a list of ids, so an erasure or a sync that deletes the movement takes the acknowledgment with it. Only movements into the analyst's states match.
// params: rule_key - string, owner/name; ids - list of movement_id values; at - ISO timestamp; scope - the analyst's states or null (added by the store)
// access: offenders - filtered on $scope
// returns: offender_id
MATCH (w:WatchRule {rule_key: $rule_key})
UNWIND $ids AS id
MATCH (m:Movement {movement_id: id})
WHERE $scope IS NULL OR m.to_state IN $scope
MERGE (w)-[a:ACKNOWLEDGED]->(m)
SET a.at = coalesce(a.at, $at)
RETURN m.offender_id AS offender_id
