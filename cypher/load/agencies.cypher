// name: agencies
// purpose: Create or update Agency nodes and link each to its State.
// params: rows - list of {key, props, state}
// returns: nothing
UNWIND $rows AS r
MERGE (n:Agency {agency_id: r.key})
SET n += r.props
WITH n, r
MATCH (s:State {code: r.state})
MERGE (n)-[:IN]->(s)
