// name: exchanges_links
// purpose: The links of Exchange nodes created by the bulk first load (Neo4j), as load/exchanges_new makes them: -[:VIA]->(Mechanism), -[:SENT_BY|SENT_TO]->(Agency), -[:ABOUT]->(Offender).
// params: rows - list of {key, mechanism, sender, recipient, offender_id}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Exchange {exchange_id: r.key})
MATCH (m:Mechanism {code: r.mechanism})
MATCH (s:Agency {agency_id: r.sender})
MATCH (t:Agency {agency_id: r.recipient})
MATCH (o:Offender {offender_id: r.offender_id})
CREATE (n)-[:VIA]->(m)
CREATE (n)-[:SENT_BY]->(s)
CREATE (n)-[:SENT_TO]->(t)
CREATE (n)-[:ABOUT]->(o)
