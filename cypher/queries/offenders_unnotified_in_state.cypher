// name: offenders_unnotified_in_state
// purpose: Offenders now in a state (their latest arrival is into it) with a qualifying conviction elsewhere, of whom that state has had no information event since their latest qualifying conviction: no conviction there and no informing exchange (conviction_notice, risk_notice, alert, supervision_transfer, reply) received there on or after it (SPEC §4.1).
// params: state string - receiving state (ISO alpha-2), e.g. DE
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: offender_id, nationality, risk_level, arrived_from, arrival_date, latest_qualifying_date, conviction_state
MATCH (o:Offender)-[:MADE]->(m:Movement)-[:TO]->(:State {code: $state})
WHERE NOT EXISTS { (m)-[:NEXT]->(:Movement) }
  AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
MATCH (o)-[:CONVICTED]->(q:Conviction)
WHERE q.qualifying
WITH o, m, q
ORDER BY q.conviction_day DESC, q.conviction_id
WITH o, m, collect(q) AS qualifying
WHERE any(c IN qualifying WHERE c.state <> $state)
WITH o, m, qualifying[0] AS lq
WHERE NOT EXISTS {
    MATCH (o)-[:CONVICTED]->(c:Conviction)
    WHERE c.state = $state AND c.conviction_day >= lq.conviction_day
  }
  AND NOT EXISTS {
    MATCH (e:Exchange)-[:ABOUT]->(o)
    WHERE e.recipient_state = $state AND e.effective_day >= lq.conviction_day
      AND e.kind IN ['conviction_notice', 'risk_notice', 'alert', 'supervision_transfer', 'reply']
  }
RETURN o.offender_id AS offender_id, o.nationality AS nationality, o.risk_level AS risk_level,
  m.from_state AS arrived_from, m.arrival_date AS arrival_date, lq.conviction_date AS latest_qualifying_date,
  lq.state AS conviction_state
ORDER BY o.risk_rank DESC, offender_id
