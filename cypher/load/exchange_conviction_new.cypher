// name: exchange_conviction_new
// purpose: Link new exchanges to the conviction they name (optional column conviction_id). Only for rows whose key is not in the graph yet: CREATE is about twice as fast as MERGE here.
// params: rows - list of {key, conviction_id}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Exchange {exchange_id: r.key})
MATCH (c:Conviction {conviction_id: r.conviction_id})
CREATE (n)-[:CONCERNS]->(c)
