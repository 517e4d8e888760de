// name: agencies_links
// purpose: The links of Agency nodes created by the bulk first load (Neo4j), as load/agencies_new makes them, each to its State.
// params: rows - list of {key, state}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Agency {agency_id: r.key})
MATCH (s:State {code: r.state})
CREATE (n)-[:IN]->(s)
