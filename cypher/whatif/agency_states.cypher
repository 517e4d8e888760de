// name: agency_states
// purpose: The states with at least one agency (an international agency counts for the state of its seat): only between them can a what-if rule add an exchange (SPEC §7). Read on every what-if call, with the version of the derived facts the what-if inputs need.
// params: none
// access: aggregate - state codes only
// returns: states, facts_version
OPTIONAL MATCH (a:Agency)
WITH collect(DISTINCT a.state) AS states
OPTIONAL MATCH (m:Meta {name: 'load'})
RETURN states, coalesce(m.facts_version, 0) AS facts_version
