// name: select_states
// purpose: For a filtered export, the keys of everything involving the given states, one row per table (none when nothing matches): the states that exist, their agencies, convictions in them, movements from or to them, exchanges sent or received by an agency in them; with the offenders each conviction, movement and exchange concerns. Convictions, movements and exchanges only of offenders the user may see.
// params: states - list of state codes (ISO alpha-2); scope - the analyst's states or null (added by the store)
// access: offenders - analysts get only offenders in their states ($scope) and their convictions, movements and exchanges
// returns: table, keys, offenders
MATCH (s:State)
WHERE s.code IN $states
RETURN 'states' AS table, collect(s.code) AS keys, [] AS offenders
UNION ALL
MATCH (a:Agency)
WHERE a.state IN $states
RETURN 'agencies' AS table, collect(a.agency_id) AS keys, [] AS offenders
UNION ALL
MATCH (c:Conviction)
WHERE c.state IN $states
OPTIONAL MATCH (o:Offender {offender_id: c.offender_id})
WITH c, o
WHERE $scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope)
RETURN 'convictions' AS table, collect(c.conviction_id) AS keys, collect(c.offender_id) AS offenders
UNION ALL
MATCH (m:Movement)
WHERE m.from_state IN $states OR m.to_state IN $states
OPTIONAL MATCH (o:Offender {offender_id: m.offender_id})
WITH m, o
WHERE $scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope)
RETURN 'movements' AS table, collect(m.movement_id) AS keys, collect(m.offender_id) AS offenders
UNION ALL
MATCH (e:Exchange)
WHERE e.sender_state IN $states OR e.recipient_state IN $states
OPTIONAL MATCH (o:Offender {offender_id: e.offender_id})
WITH e, o
WHERE $scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope)
RETURN 'exchanges' AS table, collect(e.exchange_id) AS keys, collect(e.offender_id) AS offenders
