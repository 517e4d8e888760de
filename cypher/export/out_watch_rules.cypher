// name: out_watch_rules
// purpose: The relationships leaving the WatchRule nodes with the given keys (their ACKNOWLEDGED links to movements), as column lists: start key, type, properties, end node label and end node key (the key property named by key_of for that label). For the Neo4j import export, admins only.
// params: keys - list of rule_key values; key_of - map of node label to its key property name
// returns: starts, types, props, end_labels, ends
UNWIND $keys AS k
MATCH (a:WatchRule {rule_key: k})-[r]->(b)
WITH k, r, b, head(labels(b)) AS label
RETURN collect(k) AS starts, collect(type(r)) AS types, collect(properties(r)) AS props, collect(label) AS end_labels,
  collect(b[$key_of[label]]) AS ends
