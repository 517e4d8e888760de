// name: exchange_movement_new
// purpose: Link new exchanges to the movement they name (optional column movement_id). Only for rows whose key is not in the graph yet: CREATE is about twice as fast as MERGE here.
// params: rows - list of {key, movement_id}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Exchange {exchange_id: r.key})
MATCH (m:Movement {movement_id: r.movement_id})
CREATE (n)-[:CONCERNS]->(m)
