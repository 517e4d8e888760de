// name: nodes_meta
// purpose: One page of Meta nodes in key order, for the export: the first `limit` nodes whose name sorts after `after`, as column lists; last = the page's largest key, where the next page starts (null: no more nodes).
// params: after - string, the last key of the previous page ('' for the first page); limit - int, nodes per page
// returns: keys, props, last
MATCH (n:Meta)
WHERE n.name > $after
WITH n
ORDER BY n.name
LIMIT $limit
RETURN collect(n.name) AS keys, collect(properties(n)) AS props, max(n.name) AS last
