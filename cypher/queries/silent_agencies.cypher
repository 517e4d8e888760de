// name: silent_agencies
// purpose: Agencies that received no exchange in a period (by effective date: received, else sent), with the last date they ever received one.
// params: date_from date = null - start of the period, inclusive
// params: date_to date = null - end of the period, inclusive
// params: kind string = null - only agencies of this kind (police, probation, criminal_records, ...)
// access: aggregate - no offender ids; every role may run it
// returns: agency_id, name, state, kind, last_received
MATCH (a:Agency)
WHERE $kind IS NULL OR a.kind = $kind
OPTIONAL MATCH (e:Exchange)-[:SENT_TO]->(a)
WITH a, max(e.effective_date) AS last_received,
  count(CASE WHEN e IS NOT NULL AND ($date_from IS NULL OR e.effective_date >= $date_from)
    AND ($date_to IS NULL OR e.effective_date <= $date_to) THEN 1 END) AS received
WHERE received = 0
RETURN a.agency_id AS agency_id, a.name AS name, a.state AS state, a.kind AS kind, last_received
ORDER BY state, agency_id
