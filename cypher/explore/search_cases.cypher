// name: search_cases
// purpose: Cases (case_id of convictions) for the Explore search box: a case id containing the text, or convicted in a state equal to it; only cases with a member the user may see.
// params: text - lower-case search text; limit - at most this many; scope - the analyst's states or null (added by the store)
// access: offenders - only cases of offenders in $scope
// returns: key, label
MATCH (o:Offender)-[:CONVICTED]->(c:Conviction)
WHERE c.case_id IS NOT NULL AND (toLower(c.case_id) CONTAINS $text OR toLower(c.state) = $text)
  AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
WITH DISTINCT c.case_id AS key
RETURN key, key AS label
ORDER BY key
LIMIT $limit
