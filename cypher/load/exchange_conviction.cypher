// name: exchange_conviction
// purpose: Link exchanges to the conviction they name (optional column conviction_id).
// params: rows - list of {key, conviction_id}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Exchange {exchange_id: r.key})
MATCH (c:Conviction {conviction_id: r.conviction_id})
MERGE (n)-[:CONCERNS]->(c)
