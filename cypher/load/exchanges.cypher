// name: exchanges
// purpose: Create or update Exchange nodes: -[:VIA]->(Mechanism), -[:SENT_BY|SENT_TO]->(Agency), -[:ABOUT]->(Offender).
// params: rows - list of {key, props, mechanism, sender, recipient, offender_id}
// returns: nothing
UNWIND $rows AS r
MERGE (n:Exchange {exchange_id: r.key})
SET n += r.props
WITH n, r
MATCH (m:Mechanism {code: r.mechanism})
MATCH (s:Agency {agency_id: r.sender})
MATCH (t:Agency {agency_id: r.recipient})
MATCH (o:Offender {offender_id: r.offender_id})
MERGE (n)-[:VIA]->(m)
MERGE (n)-[:SENT_BY]->(s)
MERGE (n)-[:SENT_TO]->(t)
MERGE (n)-[:ABOUT]->(o)
