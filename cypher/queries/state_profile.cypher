// name: state_profile
// purpose: One state at a glance: nationals, arrivals and departures, offenders whose latest arrival is into it, convictions there, its agencies and the exchanges they sent and received.
// params: state string - the state (ISO alpha-2), e.g. DE
// access: aggregate - no offender ids; every role may run it
// cells: arrivals, present - the columns that count people or movements
// returns: state, name, nationals, arrivals, departures, present, convictions, qualifying_convictions, agencies, exchanges_sent, exchanges_received
MATCH (s:State {code: $state})
RETURN s.code AS state, s.name AS name,
  COUNT { (:Offender)-[:NATIONAL_OF]->(s) } AS nationals,
  COUNT { (:Movement)-[:TO]->(s) } AS arrivals,
  COUNT { (:Movement)-[:FROM]->(s) } AS departures,
  COUNT { (m:Movement)-[:TO]->(s) WHERE NOT EXISTS { (m)-[:NEXT]->(:Movement) } } AS present,
  COUNT { (:Conviction)-[:IN]->(s) } AS convictions,
  COUNT { (c:Conviction)-[:IN]->(s) WHERE c.qualifying } AS qualifying_convictions,
  COUNT { (:Agency)-[:IN]->(s) } AS agencies,
  COUNT { (:Exchange)-[:SENT_BY]->(:Agency)-[:IN]->(s) } AS exchanges_sent,
  COUNT { (:Exchange)-[:SENT_TO]->(:Agency)-[:IN]->(s) } AS exchanges_received
