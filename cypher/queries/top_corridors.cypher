// name: top_corridors
// purpose: The busiest state-to-state corridors in a period: distinct offenders and movements per (from_state, to_state).
// params: date_from date = null - first arrival date, inclusive
// params: date_to date = null - last arrival date, inclusive
// params: limit int = 20 - how many rows
// access: aggregate - no offender ids; every role may run it
// cells: offenders - the columns that count people or movements
// returns: from_state, to_state, offenders, movements
MATCH (m:Movement)
WHERE ($date_from IS NULL OR m.arrival_date >= $date_from)
  AND ($date_to IS NULL OR m.arrival_date <= $date_to)
RETURN m.from_state AS from_state, m.to_state AS to_state, count(DISTINCT m.offender_id) AS offenders,
  count(*) AS movements
ORDER BY offenders DESC, movements DESC, from_state, to_state
LIMIT $limit
