// name: stored_movements
// purpose: Every Movement key in the graph with its offender ('' for none), as column lists: a sync deletes the keys the data set no longer holds and re-derives the facts of their offenders.
// params: none
// returns: keys, offenders
MATCH (n:Movement)
RETURN collect(n.movement_id) AS keys, collect(n.offender_id) AS offenders
