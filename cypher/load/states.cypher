// name: states
// purpose: Create or update State nodes; an empty property in the row removes it.
// params: rows - list of {key, props}
// returns: nothing
UNWIND $rows AS r
MERGE (n:State {code: r.key})
SET n += r.props
