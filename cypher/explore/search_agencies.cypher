// name: search_agencies
// purpose: Agencies for the Explore search box: an id or name containing the text, or a state or kind equal to it.
// params: text - lower-case search text; limit - at most this many
// access: aggregate - reference data, no offender
// returns: key, label
MATCH (a:Agency)
WHERE toLower(a.agency_id) CONTAINS $text OR toLower(a.name) CONTAINS $text OR toLower(a.state) = $text
  OR a.kind = $text
RETURN a.agency_id AS key, a.name AS label
ORDER BY key
LIMIT $limit
