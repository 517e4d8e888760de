// name: out_offence_categories
// purpose: Every relationship leaving the OffenceCategory nodes with the given keys, as column lists: start key, type, properties, end node label and end node key (the key property named by key_of for that label).
// params: keys - list of code values; key_of - map of node label to its key property name (from contract.TABLES)
// returns: starts, types, props, end_labels, ends
UNWIND $keys AS k
MATCH (a:OffenceCategory {code: k})-[r]->(b)
WITH k, r, b, head(labels(b)) AS label
RETURN collect(k) AS starts, collect(type(r)) AS types, collect(properties(r)) AS props, collect(label) AS end_labels,
  collect(b[$key_of[label]]) AS ends
