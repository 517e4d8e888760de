// name: all_offenders
// purpose: Every offender id, for a full re-derivation.
// params: none
// returns: offender_id
MATCH (o:Offender)
RETURN o.offender_id AS offender_id
