// name: journey_path
// purpose: The journey of one offender as one path: the offender, then its movements in arrival order along NEXT (for drawing).
// params: offender_id string - the offender, e.g. OFF-000001
// access: offenders - analysts see only offenders in their states ($scope, added by the store); refused to supervisors
// returns: offender_id, movements, path
MATCH path = (o:Offender {offender_id: $offender_id})-[:MADE]->(first:Movement)-[:NEXT*0..]->(last:Movement)
WHERE ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
  AND NOT EXISTS { (:Movement)-[:NEXT]->(first) }
  AND NOT EXISTS { (last)-[:NEXT]->(:Movement) }
RETURN o.offender_id AS offender_id, length(path) AS movements, path
