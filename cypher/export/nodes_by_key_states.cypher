// name: nodes_by_key_states
// purpose: The State nodes with the given keys and all their properties, as column lists, for a filtered export; keys without a node are left out.
// params: keys - list of code values
// returns: keys, props
UNWIND $keys AS k
MATCH (n:State {code: k})
RETURN collect(k) AS keys, collect(properties(n)) AS props
