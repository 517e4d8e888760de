// name: supervision
// purpose: gaps/supervision under the policy what-if (SPEC §7): only fd947-always adds FD947 transfers, one per (movement, supervision) pair of the offender, sent arrival day + notice_days; a pair counts the earliest one from its supervising state to the movement's state dated on or after its conviction, when both states have an agency ($no_day when there is none).
// params: as_of - day number; no_day - the day number for none (days.NO_DAY); rules - rule names; notice_days, reply_days - ints; agency_states - states with an agency; sis_min_risk - unused here; scope - the analyst's states or null (added by the store)
// access: offenders - lists offender ids, filtered on $scope
// returns: movement_id, conviction_id, offender_id, supervising_state, to_state, arrival_day, aware_day
MATCH (m:Movement)-[s:SUPERVISION]->(c:Conviction)
WHERE m.arrival_day <= $as_of
  AND ($scope IS NULL OR any(x IN m.scope_states WHERE x IN $scope))
WITH m, s, c, coalesce(m.fd_days, []) AS fd_days, coalesce(m.fd_states, []) AS fd_states
WITH m, s, c, CASE WHEN 'fd947-always' IN $rules AND m.to_state IN $agency_states
      AND s.supervising_state IN $agency_states THEN
    head([i IN range(0, size(fd_days) - 1) WHERE fd_states[i] = s.supervising_state
      AND fd_days[i] + $notice_days >= c.conviction_day | fd_days[i] + $notice_days]) END AS hypothetical
WITH m, s, c, CASE WHEN hypothetical < s.aware_day OR s.aware_day IS NULL
    THEN hypothetical ELSE s.aware_day END AS earliest
ORDER BY m.movement_id, c.conviction_id
RETURN collect(m.movement_id) AS movement_id, collect(c.conviction_id) AS conviction_id,
  collect(m.offender_id) AS offender_id, collect(s.supervising_state) AS supervising_state,
  collect(m.to_state) AS to_state, collect(m.arrival_day) AS arrival_day,
  collect(coalesce(earliest, $no_day)) AS aware_day
