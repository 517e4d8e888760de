// name: exchanges_by_mechanism
// purpose: Information exchanges per mechanism - all of them, those that inform the recipient (not requests), and the offenders they concern - sent in a period, between given states, about offenders of at least a risk level.
// params: date_from date = null - first sent date counted (YYYY-MM-DD), empty for no bound
// params: date_to date = null - last sent date counted (YYYY-MM-DD), empty for no bound
// params: states strings = null - comma-separated state codes: exchanges sent from or to any of them
// params: min_risk string = null - minimum risk level of the offender: low, medium, high or very_high
// access: aggregate - no offender ids; every role may run it
// cells: offenders - the columns that count people or movements
// returns: mechanism, name, exchanges, informing, offenders
MATCH (e:Exchange)-[:VIA]->(m:Mechanism)
MATCH (e)-[:ABOUT]->(o:Offender)
WHERE ($date_from IS NULL OR e.sent_date >= $date_from)
  AND ($date_to IS NULL OR e.sent_date <= $date_to)
  AND ($states IS NULL OR e.sender_state IN $states OR e.recipient_state IN $states)
  AND ($min_risk IS NULL OR o.risk_rank >= CASE $min_risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2
    WHEN 'high' THEN 3 WHEN 'very_high' THEN 4 END)
RETURN m.code AS mechanism, m.name AS name, count(e) AS exchanges,
  sum(CASE WHEN e.kind = 'request' THEN 0 ELSE 1 END) AS informing, count(DISTINCT o) AS offenders
ORDER BY exchanges DESC, mechanism
