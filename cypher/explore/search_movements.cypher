// name: search_movements
// purpose: Movements for the Explore search box: an id containing the text, a from or to state equal to it, or an arrival date beginning with it (2021, 2021-03, 2021-03-15); only movements of offenders the user may see.
// params: text - lower-case search text; limit - at most this many; scope - the analyst's states or null (added by the store)
// access: offenders - only movements of offenders in $scope
// returns: key, label
MATCH (o:Offender)-[:MADE]->(m:Movement)
WHERE (toLower(m.movement_id) CONTAINS $text OR toLower(m.from_state) = $text OR toLower(m.to_state) = $text
    OR m.arrival_date STARTS WITH $text)
  AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
RETURN m.movement_id AS key, m.movement_id + ' ' + m.from_state + '>' + m.to_state + ' ' + m.arrival_date AS label
ORDER BY key
LIMIT $limit
