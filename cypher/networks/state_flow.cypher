// name: state_flow
// purpose: Movements per (from_state, to_state) pair, the weighted edges of the state flow network (SPEC §5).
// params: from_day, to_day - day numbers bounding the arrival date, each null for none
// returns: from_state, to_state, movements
MATCH (m:Movement)
WHERE ($from_day IS NULL OR m.arrival_day >= $from_day)
  AND ($to_day IS NULL OR m.arrival_day <= $to_day)
RETURN m.from_state AS from_state, m.to_state AS to_state, count(*) AS movements
