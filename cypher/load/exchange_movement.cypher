// name: exchange_movement
// purpose: Link exchanges to the movement they name (optional column movement_id).
// params: rows - list of {key, movement_id}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Exchange {exchange_id: r.key})
MATCH (m:Movement {movement_id: r.movement_id})
MERGE (n)-[:CONCERNS]->(m)
