// name: agencies_existing
// purpose: The stored row hash (and offender) of each given Agency key that exists, as column lists, to tell new, changed and unchanged rows apart.
// params: keys - list of agency_id values
// returns: keys, hashes, offenders
UNWIND $keys AS k
MATCH (n:Agency {agency_id: k})
RETURN collect(k) AS keys, collect(n.row_hash) AS hashes, collect(coalesce('', '')) AS offenders
