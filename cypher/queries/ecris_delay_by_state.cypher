// name: ecris_delay_by_state
// purpose: Delay of ECRIS conviction notices per sending state: days from the conviction date to the notice's effective date (received, else sent), over notices that name their conviction.
// params: date_from date = null - first conviction date, inclusive
// params: date_to date = null - last conviction date, inclusive
// access: aggregate - no offender ids; every role may run it
// cells: notices - the columns that count people or movements
// returns: sending_state, notices, avg_delay_days, min_delay_days, max_delay_days
MATCH (e:Exchange)-[:CONCERNS]->(c:Conviction)
WHERE e.mechanism = 'ECRIS' AND e.kind = 'conviction_notice'
  AND ($date_from IS NULL OR c.conviction_date >= $date_from)
  AND ($date_to IS NULL OR c.conviction_date <= $date_to)
WITH e.sender_state AS sending_state, e.effective_day - c.conviction_day AS delay
RETURN sending_state, count(*) AS notices, round(avg(delay), 1) AS avg_delay_days, min(delay) AS min_delay_days,
  max(delay) AS max_delay_days
ORDER BY sending_state
