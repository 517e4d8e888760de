// name: inputs
// purpose: Per offender, the convictions, movements and exchanges that the derived gap facts are computed from.
// params: ids - list of offender_id values
// returns: offender_id, nationality, risk_rank, convictions, movements, exchanges
UNWIND $ids AS id
MATCH (o:Offender {offender_id: id})
OPTIONAL MATCH (o)-[:CONVICTED]->(c:Conviction)
WITH o, collect({id: c.conviction_id, state: c.state, day: c.conviction_day, qualifying: c.qualifying,
  grp: c.group, supervision_end_day: c.supervision_end_day}) AS convictions
OPTIONAL MATCH (o)-[:MADE]->(m:Movement)
WITH o, convictions, collect({id: m.movement_id, from_state: m.from_state, to_state: m.to_state,
  day: m.arrival_day}) AS movements
OPTIONAL MATCH (e:Exchange)-[:ABOUT]->(o)
WITH o, convictions, movements, collect({id: e.exchange_id, kind: e.kind, mechanism: e.mechanism,
  sender_state: e.sender_state, recipient_state: e.recipient_state, sent_day: e.sent_day,
  effective_day: e.effective_day, conviction_id: e.conviction_id}) AS exchanges
RETURN o.offender_id AS offender_id, o.nationality AS nationality, o.risk_rank AS risk_rank,
  convictions, movements, exchanges
