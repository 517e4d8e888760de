// name: movements
// purpose: Delete the given Movement nodes with their relationships (and so the derived NEXT and SUPERVISION links through them) (their recorded cases are deleted first, by delete/cases).
// params: keys - list of movement_id values
// returns: nothing
UNWIND $keys AS k
MATCH (n:Movement {movement_id: k})
DETACH DELETE n
