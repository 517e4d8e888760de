// name: mechanisms_existing
// purpose: The stored row hash of each given Mechanism key, to tell new, changed and unchanged rows apart.
// params: keys - list of code values
// returns: key, hash, offender_id
UNWIND $keys AS k
MATCH (n:Mechanism {code: k})
RETURN k AS key, n.row_hash AS hash, null AS offender_id
