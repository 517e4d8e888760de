// name: nodes_states
// purpose: One page of State nodes in key order, for the export: the first `limit` nodes whose code sorts after `after`, as column lists; last = the page's largest key, where the next page starts (null: no more nodes).
// params: after - string, the last key of the previous page ('' for the first page); limit - int, nodes per page
// returns: keys, props, last
MATCH (n:State)
WHERE n.code > $after
WITH n
ORDER BY n.code
LIMIT $limit
RETURN collect(n.code) AS keys, collect(properties(n)) AS props, max(n.code) AS last
