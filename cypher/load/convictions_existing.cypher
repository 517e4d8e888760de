// name: convictions_existing
// purpose: The stored row hash and offender of each given Conviction key, to tell new, changed and unchanged rows apart.
// params: keys - list of conviction_id values
// returns: key, hash, offender_id
UNWIND $keys AS k
MATCH (n:Conviction {conviction_id: k})
RETURN k AS key, n.row_hash AS hash, n.offender_id AS offender_id
