// name: offenders_links
// purpose: The links of Offender nodes created by the bulk first load (Neo4j), as load/offenders_new makes them, each to its state of nationality.
// params: rows - list of {key, nationality}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Offender {offender_id: r.key})
MATCH (s:State {code: r.nationality})
CREATE (n)-[:NATIONAL_OF]->(s)
