// name: nodes_by_key_agencies
// purpose: The Agency nodes with the given keys and all their properties, as column lists, for a filtered export; keys without a node are left out.
// params: keys - list of agency_id values
// returns: keys, props
UNWIND $keys AS k
MATCH (n:Agency {agency_id: k})
RETURN collect(k) AS keys, collect(properties(n)) AS props
