// name: offender_list
// purpose: Offenders whose id starts with a prefix, with nationality, risk level and how many convictions and movements they have.
// params: prefix string = null - start of the offender id, e.g. OFF-0001; empty for all
// params: limit int = 100000 - at most this many rows
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: offender_id, nationality, risk_level, birth_year, sex, convictions, movements
MATCH (o:Offender)
WHERE ($prefix IS NULL OR o.offender_id STARTS WITH $prefix)
  AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
OPTIONAL MATCH (o)-[:CONVICTED]->(c:Conviction)
WITH o, count(c) AS convictions
OPTIONAL MATCH (o)-[:MADE]->(m:Movement)
WITH o, convictions, count(m) AS movements
RETURN o.offender_id AS offender_id, o.nationality AS nationality, o.risk_level AS risk_level,
  o.birth_year AS birth_year, o.sex AS sex, convictions, movements
ORDER BY offender_id
LIMIT $limit
