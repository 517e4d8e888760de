// name: offenders_scope
// purpose: Store on each offender the states its convictions, movements and exchanges involve; an analyst sees the offender only when one of them is in their jurisdiction.
// params: rows - list of {key, scope_states}
// returns: nothing
UNWIND $rows AS r
MATCH (o:Offender {offender_id: r.key})
SET o.scope_states = r.scope_states
