// name: offender_exchanges
// purpose: Every exchange about one offender in date order: mechanism, kind, sending and receiving agency and state, dates, and the conviction or movement it names.
// params: offender_id string - the offender, e.g. OFF-000001
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: exchange_id, mechanism, kind, sender, sender_state, recipient, recipient_state, sent_date, received_date, conviction_id, movement_id
MATCH (e:Exchange)-[:ABOUT]->(o:Offender {offender_id: $offender_id})
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
RETURN e.exchange_id AS exchange_id, e.mechanism AS mechanism, e.kind AS kind, e.sender AS sender,
  e.sender_state AS sender_state, e.recipient AS recipient, e.recipient_state AS recipient_state,
  e.sent_date AS sent_date, e.received_date AS received_date, e.conviction_id AS conviction_id,
  e.movement_id AS movement_id
ORDER BY sent_date, exchange_id
