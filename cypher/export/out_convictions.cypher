// name: out_convictions
// purpose: Every relationship leaving the Conviction nodes with the given keys that the user may see, as column lists: start key, type, properties, end node label and end node key (the key property named by key_of for that label).
// params: keys - list of conviction_id values; key_of - map of node label to its key property name (from contract.TABLES); scope - the analyst's states or null (added by the store)
// access: offenders - analysts get only offenders in their states ($scope) and their convictions, movements and exchanges
// returns: starts, types, props, end_labels, ends
UNWIND $keys AS k
MATCH (a:Conviction {conviction_id: k})
OPTIONAL MATCH (o:Offender {offender_id: a.offender_id})
WITH a, k, o
WHERE $scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope)
MATCH (a)-[r]->(b)
WITH k, r, b, head(labels(b)) AS label
RETURN collect(k) AS starts, collect(type(r)) AS types, collect(properties(r)) AS props, collect(label) AS end_labels,
  collect(b[$key_of[label]]) AS ends
