// name: corridors_2
// purpose: Two consecutive movements of an offender (two hops, along NEXT) as state sequences such as RO>IT>ES, counted once per offender, as column lists (the caller sorts and limits).
// params: from_day, to_day - day numbers bounding the first movement's arrival, each null for none
// returns: sequence, offenders
MATCH (a:Movement)-[:NEXT]->(b:Movement)
WHERE ($from_day IS NULL OR a.arrival_day >= $from_day)
  AND ($to_day IS NULL OR a.arrival_day <= $to_day)
WITH a.from_state + '>' + a.to_state + '>' + b.to_state AS sequence, count(DISTINCT a.offender_id) AS offenders
RETURN collect(sequence) AS sequence, collect(offenders) AS offenders
