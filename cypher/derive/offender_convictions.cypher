// name: offender_convictions
// purpose: The convictions of the given offenders, as column lists ($no_day for no supervision end), for deriving gap facts.
// params: ids - list of offender_id values; no_day - the day number for none (days.NO_DAY)
// returns: offender_id, id, state, day, qualifying, grp, supervision_end_day
UNWIND $ids AS oid
MATCH (c:Conviction {offender_id: oid})
RETURN collect(oid) AS offender_id, collect(c.conviction_id) AS id, collect(c.state) AS state,
  collect(c.conviction_day) AS day, collect(c.qualifying) AS qualifying, collect(c.group) AS grp,
  collect(coalesce(c.supervision_end_day, $no_day)) AS supervision_end_day
