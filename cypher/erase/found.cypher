// name: found
// purpose: Which of the given offender ids are in the graph: an erasure refuses unknown ids by name before it deletes anything.
// params: ids - list of offender_id values
// returns: ids
UNWIND $ids AS id
MATCH (o:Offender {offender_id: id})
RETURN collect(o.offender_id) AS ids
