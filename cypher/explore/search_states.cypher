// name: search_states
// purpose: States for the Explore search box: a code equal to the text or a name containing it.
// params: text - lower-case search text; limit - at most this many
// access: aggregate - reference data, no offender
// returns: key, label
MATCH (s:State)
WHERE toLower(s.code) = $text OR toLower(s.name) CONTAINS $text
RETURN s.code AS key, s.name AS label
ORDER BY key
LIMIT $limit
