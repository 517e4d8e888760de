// name: nodes_movements
// purpose: One page of Movement nodes in key order, for the export: of the first `limit` nodes whose movement_id sorts after `after`, those the user may see, as column lists; last = the page's largest key, where the next page starts (null: no more nodes).
// params: after - string, the last key of the previous page ('' for the first page); limit - int, nodes per page; scope - the analyst's states or null (added by the store)
// access: offenders - analysts get only offenders in their states ($scope) and their convictions, movements and exchanges
// returns: keys, props, last
MATCH (n:Movement)
WHERE n.movement_id > $after
WITH n
ORDER BY n.movement_id
LIMIT $limit
OPTIONAL MATCH (o:Offender {offender_id: n.offender_id})
WITH n, $scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope) AS visible
RETURN collect(CASE WHEN visible THEN n.movement_id END) AS keys, collect(CASE WHEN visible THEN properties(n) END) AS props,
  max(n.movement_id) AS last
