// name: convictions_new
// purpose: Create Conviction nodes: (Offender)-[:CONVICTED]->(Conviction)-[:IN]->(State), -[:FOR]->(OffenceCategory). Only for rows whose key is not in the graph yet: CREATE is about twice as fast as MERGE here.
// params: rows - list of {key, props, offender_id, state, offence_code}
// returns: nothing
UNWIND $rows AS r
CREATE (n:Conviction {conviction_id: r.key})
SET n += r.props
WITH n, r
MATCH (o:Offender {offender_id: r.offender_id})
MATCH (s:State {code: r.state})
MATCH (c:OffenceCategory {code: r.offence_code})
CREATE (o)-[:CONVICTED]->(n)
CREATE (n)-[:IN]->(s)
CREATE (n)-[:FOR]->(c)
