// name: arrivals_by_month
// purpose: Arrivals per month (YYYY-MM), in all states or one receiving state; counted = arrivals of offenders with a qualifying conviction by then (SPEC §4.1).
// params: state string = null - receiving state (ISO alpha-2); all states when omitted
// params: date_from date = null - first arrival date, inclusive
// params: date_to date = null - last arrival date, inclusive
// access: aggregate - no offender ids; every role may run it
// cells: arrivals - the columns that count people or movements
// returns: month, arrivals, offenders, counted
MATCH (m:Movement)
WHERE ($state IS NULL OR m.to_state = $state)
  AND ($date_from IS NULL OR m.arrival_date >= $date_from)
  AND ($date_to IS NULL OR m.arrival_date <= $date_to)
RETURN substring(m.arrival_date, 0, 7) AS month, count(*) AS arrivals, count(DISTINCT m.offender_id) AS offenders,
  sum(CASE WHEN m.counted THEN 1 ELSE 0 END) AS counted
ORDER BY month
