// name: ego
// purpose: Everything around one offender up to as-of, for the ego network view: its convictions, movements, exchanges with their agencies, and its co-defendants; no row when the offender does not exist.
// params: offender_id - string; as_of - day number; scope - the analyst's states or null (added by the store)
// returns: offender, convictions, movements, exchanges, co_defendants
MATCH (o:Offender {offender_id: $offender_id})
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
OPTIONAL MATCH (o)-[:CONVICTED]->(c:Conviction)
WHERE c.conviction_day <= $as_of
WITH o, collect(c {.conviction_id, .state, .offence_code, .group, .qualifying, .conviction_date, .case_id,
  .sentence_months, .supervision_end}) AS convictions
OPTIONAL MATCH (o)-[:MADE]->(m:Movement)
WHERE m.arrival_day <= $as_of
WITH o, convictions, collect(m {.movement_id, .from_state, .to_state, .arrival_date, .arrival_day, .stay_days,
  .counted, .aware_day, .detected_by, .source}) AS movements
OPTIONAL MATCH (e:Exchange)-[:ABOUT]->(o)
WHERE e.sent_day <= $as_of
OPTIONAL MATCH (e)-[:SENT_BY]->(sender:Agency)
OPTIONAL MATCH (e)-[:SENT_TO]->(recipient:Agency)
WITH o, convictions, movements, collect(e {.exchange_id, .mechanism, .kind, .sent_date, .received_date,
  .effective_date, .conviction_id, .movement_id, sender: sender {.agency_id, .name, .state, .kind},
  recipient: recipient {.agency_id, .name, .state, .kind}}) AS exchanges
OPTIONAL MATCH (o)-[:CONVICTED]->(own:Conviction)
WHERE own.case_id IS NOT NULL AND own.conviction_day <= $as_of
OPTIONAL MATCH (co:Offender)-[:CONVICTED]->(shared:Conviction {case_id: own.case_id})
WHERE co.offender_id <> o.offender_id
WITH o, convictions, movements, exchanges, collect(DISTINCT {conviction_id: own.conviction_id, case_id: own.case_id,
  offender_id: co.offender_id, nationality: co.nationality, risk_level: co.risk_level}) AS co_defendants
RETURN o {.offender_id, .nationality, .birth_year, .sex, .risk_level} AS offender, convictions, movements,
  exchanges, co_defendants
