// name: arrival_groups
// purpose: gaps/arrival_groups under the policy what-if (SPEC §7): each counted movement's aware day is the earliest of its real one and the hypothetical exchanges the rules add, worked out from the inputs stored at load time (ingest/whatif_inputs.py); statuses, groups and counts exactly as there. Keep the hypothetical block identical to whatif/arrivals.
// params: by, as_of, window_days, from_day, to_day, min_risk, grp, states - as in gaps/arrival_groups; rules - rule names; notice_days, reply_days - ints; agency_states - states with an agency; sis_min_risk - lowest risk rank of sis-high-risk
// access: aggregate - counts only
// returns: key, movements, known, notified, late, unnotified, pending, unnotified_recent, lags
MATCH (m:Movement)
WHERE m.counted AND m.arrival_day <= $as_of
  AND ($from_day IS NULL OR m.arrival_day >= $from_day)
  AND ($to_day IS NULL OR m.arrival_day <= $to_day)
  AND ($grp IS NULL OR m.lq_group = $grp)
  AND ($min_risk IS NULL OR m.risk_rank >= $min_risk)
  AND ($states IS NULL OR m.from_state IN $states OR m.to_state IN $states)
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
WITH m, CASE WHEN earliest <= $as_of THEN earliest END AS aware
WITH m, aware,
  CASE
    WHEN aware <= m.arrival_day THEN 'known'
    WHEN aware <= m.arrival_day + $window_days THEN 'notified'
    WHEN aware IS NULL AND m.arrival_day + $window_days <= $as_of THEN 'unnotified'
    WHEN aware IS NULL THEN 'pending'
    ELSE 'late'
  END AS status
WITH CASE $by
    WHEN 'pair' THEN m.from_state + '>' + m.to_state
    WHEN 'year' THEN substring(m.arrival_date, 0, 4)
    ELSE 'all'
  END AS key, status, aware - m.arrival_day AS lag, m.arrival_day > $as_of - 365 AS recent
RETURN key, count(*) AS movements,
  sum(CASE WHEN status = 'known' THEN 1 ELSE 0 END) AS known,
  sum(CASE WHEN status = 'notified' THEN 1 ELSE 0 END) AS notified,
  sum(CASE WHEN status = 'late' THEN 1 ELSE 0 END) AS late,
  sum(CASE WHEN status = 'unnotified' THEN 1 ELSE 0 END) AS unnotified,
  sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
  sum(CASE WHEN status = 'unnotified' AND recent THEN 1 ELSE 0 END) AS unnotified_recent,
  collect(CASE WHEN status IN ['notified', 'late'] THEN lag END) AS lags
