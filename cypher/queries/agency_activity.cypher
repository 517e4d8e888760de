// name: agency_activity
// purpose: Exchanges sent (by sent date) and received (by effective date: received, else sent) per agency in a period.
// params: state string = null - only agencies in this state (ISO alpha-2)
// params: date_from date = null - start of the period, inclusive
// params: date_to date = null - end of the period, inclusive
// access: aggregate - no offender ids; every role may run it
// cells: sent, received - the columns that count people or movements
// returns: agency_id, name, state, kind, sent, received
MATCH (a:Agency)
WHERE $state IS NULL OR a.state = $state
OPTIONAL MATCH (s:Exchange)-[:SENT_BY]->(a)
WHERE ($date_from IS NULL OR s.sent_date >= $date_from) AND ($date_to IS NULL OR s.sent_date <= $date_to)
WITH a, count(s) AS sent
OPTIONAL MATCH (r:Exchange)-[:SENT_TO]->(a)
WHERE ($date_from IS NULL OR r.effective_date >= $date_from) AND ($date_to IS NULL OR r.effective_date <= $date_to)
WITH a, sent, count(r) AS received
RETURN a.agency_id AS agency_id, a.name AS name, a.state AS state, a.kind AS kind, sent, received
ORDER BY agency_id
