// name: convictions
// purpose: Create or update Conviction nodes: (Offender)-[:CONVICTED]->(Conviction)-[:IN]->(State), -[:FOR]->(OffenceCategory).
// params: rows - list of {key, props, offender_id, state, offence_code}
// returns: nothing
UNWIND $rows AS r
MERGE (n:Conviction {conviction_id: r.key})
SET n += r.props
WITH n, r
MATCH (o:Offender {offender_id: r.offender_id})
MATCH (s:State {code: r.state})
MATCH (c:OffenceCategory {code: r.offence_code})
MERGE (o)-[:CONVICTED]->(n)
MERGE (n)-[:IN]->(s)
MERGE (n)-[:FOR]->(c)
