// name: cases
// purpose: Delete the work-queue cases (SPEC §8) recorded on the given movements, before the movements themselves.
// params: keys - list of movement_id values
// returns: nothing
UNWIND $keys AS k
MATCH (c:Case)-[:ON]->(:Movement {movement_id: k})
DETACH DELETE c
