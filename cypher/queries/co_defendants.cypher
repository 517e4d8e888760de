// name: co_defendants
// purpose: The co-defendants of one offender (convicted in a case with the same case_id), the cases they share and where each arrived last.
// params: offender_id string - the offender, e.g. OFF-000001
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: co_defendant_id, nationality, risk_level, cases, latest_state, latest_arrival_date
MATCH (o:Offender {offender_id: $offender_id})-[:CONVICTED]->(c:Conviction)
WHERE c.case_id IS NOT NULL AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
MATCH (co:Offender)-[:CONVICTED]->(:Conviction {case_id: c.case_id})
WHERE co.offender_id <> o.offender_id AND ($scope IS NULL OR any(x IN co.scope_states WHERE x IN $scope))
WITH co, collect(DISTINCT c.case_id) AS cases
OPTIONAL MATCH (co)-[:MADE]->(m:Movement)
WHERE NOT EXISTS { (m)-[:NEXT]->(:Movement) }
RETURN co.offender_id AS co_defendant_id, co.nationality AS nationality, co.risk_level AS risk_level, cases,
  m.to_state AS latest_state, m.arrival_date AS latest_arrival_date
ORDER BY co_defendant_id
