// name: convictions
// purpose: Delete the given Conviction nodes with their relationships (and so the derived NEXT and SUPERVISION links through them).
// params: keys - list of conviction_id values
// returns: nothing
UNWIND $keys AS k
MATCH (n:Conviction {conviction_id: k})
DETACH DELETE n
