// name: nodes_cases
// purpose: One page of Case nodes (work-queue cases, SPEC §8) in key order, for the Neo4j import export (admins only): the first `limit` nodes whose case_key sorts after `after`, as column lists; last = the page's largest key (null: no more nodes).
// params: after - string, the last key of the previous page ('' for the first page); limit - int, nodes per page
// returns: keys, props, last
MATCH (n:Case)
WHERE n.case_key > $after
WITH n
ORDER BY n.case_key
LIMIT $limit
RETURN collect(n.case_key) AS keys, collect(properties(n)) AS props, max(n.case_key) AS last
