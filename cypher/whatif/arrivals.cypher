// name: arrivals
// purpose: gaps/arrivals under the policy what-if (SPEC §7): every counted movement up to as-of as column lists, its aware_day the earliest of the real one and the rules' hypothetical exchanges ($no_day when there is none). Keep the hypothetical block identical to whatif/arrival_groups.
// params: as_of - day number; no_day - the day number for none (days.NO_DAY); rules - rule names; notice_days, reply_days - ints; agency_states - states with an agency; sis_min_risk - lowest risk rank of sis-high-risk; scope - the analyst's states or null (added by the store)
// access: offenders - lists offender ids, filtered on $scope
// returns: movement_id, offender_id, from_state, to_state, arrival_date, arrival_day, conviction_state, aware_day
MATCH (m:Movement)
WHERE m.counted AND m.arrival_day <= $as_of
  AND ($scope IS NULL OR any(x IN m.scope_states WHERE x IN $scope))
WITH m, coalesce(m.q_days, []) AS q_days, coalesce(m.q_states, []) AS q_states,
  coalesce(m.fd_days, []) AS fd_days, coalesce(m.fd_states, []) AS fd_states,
  coalesce(m.eoa_days, []) AS eoa_days, coalesce(m.eoa_known, []) AS eoa_known,
  m.to_state IN $agency_states AS reachable
WITH m, [
    CASE WHEN reachable AND 'ecris-complete' IN $rules AND m.to_state = m.nationality THEN
      head([i IN range(0, size(q_days) - 1) WHERE q_states[i] <> m.to_state AND q_states[i] IN $agency_states
        AND q_days[i] + $notice_days >= m.lq_day | q_days[i] + $notice_days]) END,
    CASE WHEN reachable AND 'fd947-always' IN $rules THEN
      head([i IN range(0, size(fd_days) - 1) WHERE fd_states[i] IN $agency_states
        AND fd_days[i] + $notice_days >= m.lq_day | fd_days[i] + $notice_days]) END,
    CASE WHEN reachable AND 'sis-high-risk' IN $rules AND m.to_schengen AND m.risk_rank >= $sis_min_risk THEN
      head([i IN range(0, size(q_days) - 1) WHERE q_states[i] <> m.to_state AND q_states[i] IN $agency_states
        AND q_days[i] + $notice_days >= m.lq_day | q_days[i] + $notice_days]) END,
    CASE WHEN reachable AND 'ecris-on-arrival' IN $rules AND m.nationality IN $agency_states THEN
      head([j IN range(0, size(eoa_days) - 1) WHERE eoa_days[j] + $reply_days >= m.lq_day
        AND (eoa_known[j] = 1 OR ('ecris-complete' IN $rules AND any(i IN range(0, size(q_days) - 1)
          WHERE q_states[i] <> m.nationality AND q_states[i] IN $agency_states
          AND q_days[i] + $notice_days <= eoa_days[j]))) | eoa_days[j] + $reply_days]) END
  ] AS hypothetical
WITH m, reduce(a = m.aware_day, x IN hypothetical |
    CASE WHEN x < a OR a IS NULL THEN coalesce(x, a) ELSE a END) AS earliest
ORDER BY m.movement_id
RETURN collect(m.movement_id) AS movement_id, collect(m.offender_id) AS offender_id,
  collect(m.from_state) AS from_state, collect(m.to_state) AS to_state,
  collect(m.arrival_date) AS arrival_date, collect(m.arrival_day) AS arrival_day,
  collect(m.conviction_state) AS conviction_state, collect(coalesce(earliest, $no_day)) AS aware_day
