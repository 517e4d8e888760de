// name: acknowledged
// purpose: The movements each of the given watch rules has acknowledged (SPEC §10), as parallel column lists of rule key and movement_id: an alert is a queue row less these.
// params: keys - list of rule_key values
// access: aggregate - movement ids only, of rules the caller owns
// returns: rule_keys, movement_ids
UNWIND $keys AS k
MATCH (w:WatchRule {rule_key: k})-[:ACKNOWLEDGED]->(m:Movement)
RETURN collect(w.rule_key) AS rule_keys, collect(m.movement_id) AS movement_ids
