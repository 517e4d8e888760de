// name: offender_agencies
// purpose: The agencies involved with one offender - as sender or recipient of an exchange about them, or as the agency that detected one of their movements - with how often.
// params: offender_id string - the offender, e.g. OFF-000001
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: agency_id, name, state, kind, sent, received, detected
MATCH (o:Offender {offender_id: $offender_id})
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
CALL (o) {
  MATCH (e:Exchange)-[:ABOUT]->(o)
  MATCH (e)-[:SENT_BY]->(a:Agency)
  RETURN a, 'sent' AS role
  UNION ALL
  MATCH (e:Exchange)-[:ABOUT]->(o)
  MATCH (e)-[:SENT_TO]->(a:Agency)
  RETURN a, 'received' AS role
  UNION ALL
  MATCH (o)-[:MADE]->(:Movement)-[:DETECTED_BY]->(a:Agency)
  RETURN a, 'detected' AS role
}
RETURN a.agency_id AS agency_id, a.name AS name, a.state AS state, a.kind AS kind,
  sum(CASE WHEN role = 'sent' THEN 1 ELSE 0 END) AS sent,
  sum(CASE WHEN role = 'received' THEN 1 ELSE 0 END) AS received,
  sum(CASE WHEN role = 'detected' THEN 1 ELSE 0 END) AS detected
ORDER BY agency_id
