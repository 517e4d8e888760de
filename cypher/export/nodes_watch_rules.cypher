// name: nodes_watch_rules
// purpose: One page of WatchRule nodes (users' watch rules, SPEC §10) in key order, for the Neo4j import export (admins only): the first `limit` nodes whose rule_key sorts after `after`, as column lists; last = the page's largest key (null: no more nodes).
// params: after - string, the last key of the previous page ('' for the first page); limit - int, nodes per page
// returns: keys, props, last
MATCH (n:WatchRule)
WHERE n.rule_key > $after
WITH n
ORDER BY n.rule_key
LIMIT $limit
RETURN collect(n.rule_key) AS keys, collect(properties(n)) AS props, max(n.rule_key) AS last
