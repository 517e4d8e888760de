// name: offence_categories
// purpose: Create or update OffenceCategory nodes; an empty property in the row removes it.
// params: rows - list of {key, props}
// returns: nothing
UNWIND $rows AS r
MERGE (n:OffenceCategory {code: r.key})
SET n += r.props
