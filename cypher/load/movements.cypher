// name: movements
// purpose: Create or update Movement nodes: (Offender)-[:MADE]->(Movement)-[:FROM|TO]->(State).
// params: rows - list of {key, props, offender_id, from_state, to_state}
// returns: nothing
UNWIND $rows AS r
MERGE (n:Movement {movement_id: r.key})
SET n += r.props
WITH n, r
MATCH (o:Offender {offender_id: r.offender_id})
MATCH (f:State {code: r.from_state})
MATCH (t:State {code: r.to_state})
MERGE (o)-[:MADE]->(n)
MERGE (n)-[:FROM]->(f)
MERGE (n)-[:TO]->(t)
