// name: offenders_existing
// purpose: The stored row hash of each given Offender key, to tell new, changed and unchanged rows apart.
// params: keys - list of offender_id values
// returns: key, hash, offender_id
UNWIND $keys AS k
MATCH (n:Offender {offender_id: k})
RETURN k AS key, n.row_hash AS hash, n.offender_id AS offender_id
