// name: relationship_count
// purpose: How many relationships the graph holds, for the check that the whole graph was exported.
// params: none
// access: aggregate - counts and property names only
// returns: relationships
MATCH ()-[r]->()
RETURN count(r) AS relationships
