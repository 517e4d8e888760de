// name: offender_movements
// purpose: The movements of the given offenders, as column lists ('' for no detected_by), for deriving gap facts.
// params: ids - list of offender_id values
// returns: offender_id, id, from_state, to_state, day, detected_by
UNWIND $ids AS oid
MATCH (m:Movement {offender_id: oid})
RETURN collect(oid) AS offender_id, collect(m.movement_id) AS id, collect(m.from_state) AS from_state,
  collect(m.to_state) AS to_state, collect(m.arrival_day) AS day,
  collect(coalesce(m.detected_by, '')) AS detected_by
