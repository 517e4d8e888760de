// name: agencies_existing
// purpose: The stored row hash of each given Agency key, to tell new, changed and unchanged rows apart.
// params: keys - list of agency_id values
// returns: key, hash, offender_id
UNWIND $keys AS k
MATCH (n:Agency {agency_id: k})
RETURN k AS key, n.row_hash AS hash, null AS offender_id
