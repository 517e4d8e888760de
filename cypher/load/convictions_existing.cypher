// name: convictions_existing
// purpose: The stored row hash (and offender) of each given Conviction key that exists, as column lists, to tell new, changed and unchanged rows apart.
// params: keys - list of conviction_id values
// returns: keys, hashes, offenders
UNWIND $keys AS k
MATCH (n:Conviction {conviction_id: k})
RETURN collect(k) AS keys, collect(n.row_hash) AS hashes, collect(coalesce(n.offender_id, '')) AS offenders
