// name: convictions
// purpose: Store each conviction's derived ECRIS facts (whether counted, earliest notice to the state of nationality).
// params: rows - list of {key, facts}
// returns: nothing
UNWIND $rows AS r
MATCH (c:Conviction {conviction_id: r.key})
SET c += r.facts
