// name: ecris
// purpose: gaps/ecris under the policy what-if (SPEC §7): only ecris-complete adds ECRIS conviction notices, one per counted conviction, sent conviction day + notice_days, when both states have an agency; aware_day is the earliest of it and the real one ($no_day when there is none).
// params: as_of - day number; no_day - the day number for none (days.NO_DAY); rules - rule names; notice_days, reply_days - ints; agency_states - states with an agency; sis_min_risk - unused here; scope - the analyst's states or null (added by the store)
// access: offenders - lists offender ids, filtered on $scope
// returns: conviction_id, offender_id, convicting_state, nationality, conviction_day, aware_day
MATCH (o:Offender)-[:CONVICTED]->(c:Conviction)
WHERE c.ecris_counted AND c.conviction_day <= $as_of
  AND ($scope IS NULL OR any(x IN c.scope_states WHERE x IN $scope))
WITH o, c, CASE WHEN 'ecris-complete' IN $rules AND c.state IN $agency_states AND o.nationality IN $agency_states
    THEN c.conviction_day + $notice_days END AS hypothetical
WITH o, c, CASE WHEN hypothetical < c.ecris_aware_day OR c.ecris_aware_day IS NULL
    THEN hypothetical ELSE c.ecris_aware_day END AS earliest
ORDER BY c.conviction_id
RETURN collect(c.conviction_id) AS conviction_id, collect(o.offender_id) AS offender_id,
  collect(c.state) AS convicting_state, collect(o.nationality) AS nationality,
  collect(c.conviction_day) AS conviction_day, collect(coalesce(earliest, $no_day)) AS aware_day
