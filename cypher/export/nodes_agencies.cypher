// name: nodes_agencies
// purpose: One page of Agency nodes in key order, for the export: the first `limit` nodes whose agency_id sorts after `after`, as column lists; last = the page's largest key, where the next page starts (null: no more nodes).
// params: after - string, the last key of the previous page ('' for the first page); limit - int, nodes per page
// returns: keys, props, last
MATCH (n:Agency)
WHERE n.agency_id > $after
WITH n
ORDER BY n.agency_id
LIMIT $limit
RETURN collect(n.agency_id) AS keys, collect(properties(n)) AS props, max(n.agency_id) AS last
