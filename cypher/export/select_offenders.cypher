// name: select_offenders
// purpose: For a filtered export, each given offender that exists and that the user may see, with the keys of its convictions, movements and the exchanges about it (everything one hop around it but its state of nationality).
// params: offenders - list of offender_id values; scope - the analyst's states or null (added by the store)
// access: offenders - analysts get only offenders in their states ($scope) and their convictions, movements and exchanges
// returns: offenders, convictions, movements, exchanges
UNWIND $offenders AS id
MATCH (o:Offender {offender_id: id})
WHERE $scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope)
OPTIONAL MATCH (o)-[:CONVICTED]->(c:Conviction)
WITH o, collect(c.conviction_id) AS convictions
OPTIONAL MATCH (o)-[:MADE]->(m:Movement)
WITH o, convictions, collect(m.movement_id) AS movements
OPTIONAL MATCH (e:Exchange)-[:ABOUT]->(o)
RETURN o.offender_id AS offenders, convictions, movements, collect(e.exchange_id) AS exchanges
