// name: add
// purpose: Add a watch rule (SPEC §10) unless its owner already has one of that name: a new (:WatchRule) node, never a data-set row, so loads and syncs leave it alone. No row back means the name is taken and nothing was written.
// params: rule_key - string, owner/name; props - map of the rule's other properties (no nulls)
// access: aggregate - a rule names a state, a risk level and statuses, no offender
// returns: rule_key
OPTIONAL MATCH (old:WatchRule {rule_key: $rule_key})
WITH old
WHERE old IS NULL
CREATE (w:WatchRule {rule_key: $rule_key})
SET w += $props
RETURN w.rule_key AS rule_key
