// name: node_counts
// purpose: How many nodes carry each label, for export progress and the check that the whole graph was written.
// params: none
// access: aggregate - counts and property names only
// returns: label, nodes
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS nodes
