// name: high_risk_recent_arrivals
// purpose: Arrivals of high-risk offenders in the last days of the data (counted back from the latest arrival), and whether the receiving state has had an information event since their latest qualifying conviction (empty when they had none).
// params: days int = 90 - how many days back from the latest arrival in the data
// params: min_risk string = high - lowest risk level shown: low, medium, high or very_high
// params: state string = null - receiving state (ISO alpha-2); all states when omitted
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: offender_id, risk_level, nationality, from_state, to_state, arrival_date, receiving_state_informed
MATCH (latest:Movement)
WITH max(latest.arrival_day) AS last_day
MATCH (o:Offender)-[:MADE]->(m:Movement)
WHERE m.arrival_day > last_day - $days
  AND o.risk_rank >= CASE $min_risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'very_high' THEN 4 END
  AND ($state IS NULL OR m.to_state = $state)
  AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
RETURN o.offender_id AS offender_id, o.risk_level AS risk_level, o.nationality AS nationality,
  m.from_state AS from_state, m.to_state AS to_state, m.arrival_date AS arrival_date,
  CASE WHEN m.counted THEN m.aware_day IS NOT NULL END AS receiving_state_informed
ORDER BY arrival_date DESC, offender_id
