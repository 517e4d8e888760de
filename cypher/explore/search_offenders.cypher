// name: search_offenders
// purpose: Offenders for the Explore search box: an id containing the text, or a nationality or risk level equal to it.
// params: text - lower-case search text; limit - at most this many; scope - the analyst's states or null (added by the store)
// access: offenders - only offenders in $scope
// returns: key, label
MATCH (o:Offender)
WHERE (toLower(o.offender_id) CONTAINS $text OR toLower(o.nationality) = $text OR o.risk_level = $text)
  AND ($scope IS NULL OR any(x IN o.scope_states WHERE x IN $scope))
RETURN o.offender_id AS key, o.offender_id AS label
ORDER BY key
LIMIT $limit
