// name: exchanges_existing
// purpose: The stored row hash and offender of each given Exchange key, to tell new, changed and unchanged rows apart.
// params: keys - list of exchange_id values
// returns: key, hash, offender_id
UNWIND $keys AS k
MATCH (n:Exchange {exchange_id: k})
RETURN k AS key, n.row_hash AS hash, n.offender_id AS offender_id
