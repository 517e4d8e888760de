// name: offenders_new
// purpose: Create Offender nodes and link each to its state of nationality. Only for rows whose key is not in the graph yet: CREATE is about twice as fast as MERGE here.
// params: rows - list of {key, props, nationality}
// returns: nothing
UNWIND $rows AS r
CREATE (n:Offender {offender_id: r.key})
SET n += r.props
WITH n, r
MATCH (s:State {code: r.nationality})
CREATE (n)-[:NATIONAL_OF]->(s)
