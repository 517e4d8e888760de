// name: offenders
// purpose: Create or update Offender nodes and link each to its state of nationality.
// params: rows - list of {key, props, nationality}
// returns: nothing
UNWIND $rows AS r
MERGE (n:Offender {offender_id: r.key})
SET n += r.props
WITH n, r
MATCH (s:State {code: r.nationality})
MERGE (n)-[:NATIONAL_OF]->(s)
