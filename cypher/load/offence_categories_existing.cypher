// name: offence_categories_existing
// purpose: The stored row hash (and offender) of each given OffenceCategory key that exists, as column lists, to tell new, changed and unchanged rows apart.
// params: keys - list of code values
// returns: keys, hashes, offenders
UNWIND $keys AS k
MATCH (n:OffenceCategory {code: k})
RETURN collect(k) AS keys, collect(n.row_hash) AS hashes, collect(coalesce('', '')) AS offenders
