// name: supervision
// purpose: Link a movement to each conviction whose supervision was running elsewhere on arrival, with the earliest FD947 transfer to the new state.
// params: rows - list of {movement_id, conviction_id, facts}
// returns: nothing
UNWIND $rows AS r
MATCH (m:Movement {movement_id: r.movement_id})
MATCH (c:Conviction {conviction_id: r.conviction_id})
CREATE (m)-[s:SUPERVISION]->(c)
SET s += r.facts
