// name: nodes_by_key_convictions
// purpose: The Conviction nodes with the given keys that the user may see, with all their properties, as column lists, for a filtered export; keys without such a node are left out.
// params: keys - list of conviction_id values; scope - the analyst's states or null (added by the store)
// access: offenders - analysts get only offenders in their states ($scope) and their convictions, movements and exchanges
// returns: keys, props
UNWIND $keys AS k
MATCH (n:Conviction {conviction_id: k})
OPTIONAL MATCH (o:Offender {offender_id: n.offender_id})
WITH n, k, o
WHERE $scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope)
RETURN collect(k) AS keys, collect(properties(n)) AS props
