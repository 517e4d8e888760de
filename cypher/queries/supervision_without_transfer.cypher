// name: supervision_without_transfer
// purpose: Movements made while a supervision imposed in another state was running, for which no FD947 supervision transfer to the new state was ever sent (SPEC §4.4).
// params: state string = null - receiving state (ISO alpha-2); all states when omitted
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: movement_id, offender_id, conviction_id, supervising_state, to_state, arrival_date, supervision_end
MATCH (m:Movement)-[s:SUPERVISION]->(c:Conviction)
WHERE s.aware_day IS NULL AND ($state IS NULL OR m.to_state = $state)
  AND ($scope IS NULL OR any(x IN m.scope_states WHERE x IN $scope))
RETURN m.movement_id AS movement_id, m.offender_id AS offender_id, c.conviction_id AS conviction_id,
  s.supervising_state AS supervising_state, m.to_state AS to_state, m.arrival_date AS arrival_date,
  c.supervision_end AS supervision_end
ORDER BY movement_id, conviction_id
