// name: remove
// purpose: Remove a watch rule (SPEC §10) with its acknowledgments (its ACKNOWLEDGED links).
// params: rule_key - string, owner/name
// access: aggregate - a count only
// returns: removed
MATCH (w:WatchRule {rule_key: $rule_key})
DETACH DELETE w
WITH count(*) AS removed
RETURN removed
