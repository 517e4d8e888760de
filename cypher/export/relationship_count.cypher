// name: relationship_count
// purpose: How many relationships leave nodes of the given labels (every relationship is exported with its start node), for the check that the whole graph was exported.
// params: labels - list of node labels the export wrote
// access: aggregate - counts and property names only
// returns: relationships
MATCH (a)-[r]->()
WHERE head(labels(a)) IN $labels
RETURN count(r) AS relationships
