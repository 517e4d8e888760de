// name: offender_exchanges
// purpose: The exchanges about the given offenders, as column lists ('' for no conviction_id), for deriving gap facts.
// params: ids - list of offender_id values
// returns: offender_id, id, kind, mechanism, sender_state, recipient_state, sent_day, effective_day, conviction_id
UNWIND $ids AS oid
MATCH (e:Exchange {offender_id: oid})
RETURN collect(oid) AS offender_id, collect(e.exchange_id) AS id, collect(e.kind) AS kind,
  collect(e.mechanism) AS mechanism, collect(e.sender_state) AS sender_state,
  collect(e.recipient_state) AS recipient_state, collect(e.sent_day) AS sent_day,
  collect(e.effective_day) AS effective_day, collect(coalesce(e.conviction_id, '')) AS conviction_id
