// name: corridors_1
// purpose: Single movements (one hop) as state sequences such as RO>IT, counted once per offender, as column lists (the caller sorts and limits).
// params: from_day, to_day - day numbers bounding the first movement's arrival, each null for none
// returns: sequence, offenders
MATCH (a:Movement)
WHERE ($from_day IS NULL OR a.arrival_day >= $from_day)
  AND ($to_day IS NULL OR a.arrival_day <= $to_day)
WITH a.from_state + '>' + a.to_state AS sequence, count(DISTINCT a.offender_id) AS offenders
RETURN collect(sequence) AS sequence, collect(offenders) AS offenders
