// name: exchanges_new
// purpose: Create Exchange nodes: -[:VIA]->(Mechanism), -[:SENT_BY|SENT_TO]->(Agency), -[:ABOUT]->(Offender). Only for rows whose key is not in the graph yet: CREATE is about twice as fast as MERGE here.
// params: rows - list of {key, props, mechanism, sender, recipient, offender_id}
// returns: nothing
UNWIND $rows AS r
CREATE (n:Exchange {exchange_id: r.key})
SET n += r.props
WITH n, r
MATCH (m:Mechanism {code: r.mechanism})
MATCH (s:Agency {agency_id: r.sender})
MATCH (t:Agency {agency_id: r.recipient})
MATCH (o:Offender {offender_id: r.offender_id})
CREATE (n)-[:VIA]->(m)
CREATE (n)-[:SENT_BY]->(s)
CREATE (n)-[:SENT_TO]->(t)
CREATE (n)-[:ABOUT]->(o)
