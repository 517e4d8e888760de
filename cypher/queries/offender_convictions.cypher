// name: offender_convictions
// purpose: One offender's convictions with the offence category and its group, oldest first.
// params: offender_id string - the offender, e.g. OFF-000001
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: conviction_id, state, conviction_date, offence_code, offence, group, case_id, sentence_months, supervision_end
MATCH (o:Offender {offender_id: $offender_id})-[:CONVICTED]->(c:Conviction)
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
OPTIONAL MATCH (c)-[:FOR]->(k:OffenceCategory)
OPTIONAL MATCH (c)-[:IN]->(s:State)
RETURN c.conviction_id AS conviction_id, s.code AS state, c.conviction_date AS conviction_date,
  k.code AS offence_code, k.label AS offence, k.group AS group, c.case_id AS case_id,
  c.sentence_months AS sentence_months, c.supervision_end AS supervision_end
ORDER BY conviction_date, conviction_id
