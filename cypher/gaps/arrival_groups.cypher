// name: arrival_groups
// purpose: Arrival-gap status counts of counted movements (SPEC §4.1) per group — by 'pair' (key from_state>to_state), 'year' (arrival year) or 'all' — with unnotified arrivals in the 12 months up to as-of and the lags of notified and late arrivals as a list. The gap matrix, the yearly trend and the KPIs are these groups.
// params: by - 'pair', 'year' or 'all'; as_of, window_days - day numbers; from_day, to_day, min_risk (1-4), grp, states - filters, each null for none
// returns: key, movements, known, notified, late, unnotified, pending, unnotified_recent, lags
MATCH (m:Movement)
WHERE m.counted AND m.arrival_day <= $as_of
  AND ($from_day IS NULL OR m.arrival_day >= $from_day)
  AND ($to_day IS NULL OR m.arrival_day <= $to_day)
  AND ($grp IS NULL OR m.lq_group = $grp)
  AND ($min_risk IS NULL OR m.risk_rank >= $min_risk)
  AND ($states IS NULL OR m.from_state IN $states OR m.to_state IN $states)
WITH m, CASE WHEN m.aware_day <= $as_of THEN m.aware_day END AS aware
WITH m, aware,
  CASE
    WHEN aware <= m.arrival_day THEN 'known'
    WHEN aware <= m.arrival_day + $window_days THEN 'notified'
    WHEN aware IS NOT NULL THEN 'late'
    WHEN m.arrival_day + $window_days <= $as_of THEN 'unnotified'
    ELSE 'pending'
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
