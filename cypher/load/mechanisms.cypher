// name: mechanisms
// purpose: Create or update Mechanism nodes; an empty property in the row removes it.
// params: rows - list of {key, props}
// returns: nothing
UNWIND $rows AS r
MERGE (n:Mechanism {code: r.key})
SET n += r.props
