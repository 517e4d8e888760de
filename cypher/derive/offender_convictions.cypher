// name: offender_convictions
// purpose: The convictions of the given offenders, as column lists (-1000000000 for no supervision end), for deriving gap facts.
// params: ids - list of offender_id values
// returns: offender_id, id, state, day, qualifying, grp, supervision_end_day
UNWIND $ids AS oid
MATCH (c:Conviction {offender_id: oid})
RETURN collect(oid) AS offender_id, collect(c.conviction_id) AS id, collect(c.state) AS state,
  collect(c.conviction_day) AS day, collect(c.qualifying) AS qualifying, collect(c.group) AS grp,
  collect(coalesce(c.supervision_end_day, -1000000000)) AS supervision_end_day
