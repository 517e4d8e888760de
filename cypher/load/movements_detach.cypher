// name: movements_detach
// purpose: Remove the relationships a changed movement row defines (and derived ones), before they are merged again; the ON links of recorded cases (SPEC §8) and the ACKNOWLEDGED links of watch rules (§10) stay.
// params: keys - list of movement_id values
// returns: nothing
UNWIND $keys AS k
MATCH (:Movement {movement_id: k})-[r]-(x)
WHERE NOT x:Exchange AND NOT x:Case AND NOT x:WatchRule
DELETE r
