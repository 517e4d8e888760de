// name: movements_links
// purpose: The links of Movement nodes created by the bulk first load (Neo4j), as load/movements_new makes them: (Offender)-[:MADE]->(Movement)-[:FROM|TO]->(State).
// params: rows - list of {key, offender_id, from_state, to_state}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Movement {movement_id: r.key})
MATCH (o:Offender {offender_id: r.offender_id})
MATCH (f:State {code: r.from_state})
MATCH (t:State {code: r.to_state})
CREATE (o)-[:MADE]->(n)
CREATE (n)-[:FROM]->(f)
CREATE (n)-[:TO]->(t)
