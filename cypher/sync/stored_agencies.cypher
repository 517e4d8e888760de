// name: stored_agencies
// purpose: Every Agency key in the graph with its offender ('' for none), as column lists: a sync deletes the keys the data set no longer holds and re-derives the facts of their offenders.
// params: none
// returns: keys, offenders
MATCH (n:Agency)
RETURN collect(n.agency_id) AS keys, collect('') AS offenders
