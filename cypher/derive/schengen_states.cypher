// name: schengen_states
// purpose: The codes of the Schengen states: the recipients of the sis-high-risk what-if alerts (SPEC §7), stored per movement at load time.
// params: none
// access: aggregate - state codes only
// returns: codes
MATCH (s:State)
WHERE s.schengen = true
RETURN collect(s.code) AS codes
