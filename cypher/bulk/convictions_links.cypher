// name: convictions_links
// purpose: The links of Conviction nodes created by the bulk first load (Neo4j), as load/convictions_new makes them: (Offender)-[:CONVICTED]->(Conviction)-[:IN]->(State), -[:FOR]->(OffenceCategory).
// params: rows - list of {key, offender_id, state, offence_code}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Conviction {conviction_id: r.key})
MATCH (o:Offender {offender_id: r.offender_id})
MATCH (s:State {code: r.state})
MATCH (c:OffenceCategory {code: r.offence_code})
CREATE (o)-[:CONVICTED]->(n)
CREATE (n)-[:IN]->(s)
CREATE (n)-[:FOR]->(c)
