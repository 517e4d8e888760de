// name: offenders
// purpose: Delete the given Offender nodes with their relationships (and so the derived NEXT and SUPERVISION links through them) (their convictions, movements and exchanges are deleted first).
// params: keys - list of offender_id values
// returns: nothing
UNWIND $keys AS k
MATCH (n:Offender {offender_id: k})
DETACH DELETE n
