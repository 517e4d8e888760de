// name: movements
// purpose: Store each movement's derived facts (journey order, stay, latest qualifying conviction, earliest information event).
// params: rows - list of {key, facts}
// returns: nothing
UNWIND $rows AS r
MATCH (m:Movement {movement_id: r.key})
SET m += r.facts
