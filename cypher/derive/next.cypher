// name: next
// purpose: Chain each offender's movements in arrival order: (Movement)-[:NEXT]->(Movement).
// params: rows - list of {from, to}
// returns: nothing
UNWIND $rows AS r
MATCH (a:Movement {movement_id: r.from})
MATCH (b:Movement {movement_id: r.to})
CREATE (a)-[:NEXT]->(b)
