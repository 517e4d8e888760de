// name: movement_exists
// purpose: Whether a movement id is in the graph at all, to tell "no such movement" from "outside your states" when recording a case.
// params: movement_id - string
// access: aggregate - a count only
// returns: found
OPTIONAL MATCH (m:Movement {movement_id: $movement_id})
RETURN count(m) AS found
