// name: flow_by_month
// purpose: Movements per (from_state, to_state) pair and arrival month (YYYY-MM), for the period control of the network views, as one row of column lists (fast to read).
// params: none
// returns: from_state, to_state, month, movements
MATCH (m:Movement)
WITH m.from_state AS from_state, m.to_state AS to_state, substring(m.arrival_date, 0, 7) AS month, count(*) AS movements
ORDER BY month, from_state, to_state
RETURN collect(from_state) AS from_state, collect(to_state) AS to_state, collect(month) AS month,
  collect(movements) AS movements
