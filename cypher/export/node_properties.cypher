// name: node_properties
// purpose: Every property name used by the nodes of each label, and on how many nodes: the columns of the neo4j-admin import files.
// params: none
// access: aggregate - counts and property names only
// returns: label, property, nodes
MATCH (n)
UNWIND labels(n) AS label
UNWIND keys(n) AS property
RETURN label, property, count(*) AS nodes
