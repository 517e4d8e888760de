// name: movements_existing
// purpose: The stored row hash and offender of each given Movement key, to tell new, changed and unchanged rows apart.
// params: keys - list of movement_id values
// returns: key, hash, offender_id
UNWIND $keys AS k
MATCH (n:Movement {movement_id: k})
RETURN k AS key, n.row_hash AS hash, n.offender_id AS offender_id
