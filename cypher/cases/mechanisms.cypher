// name: mechanisms
// purpose: The mechanism codes in the graph: the mechanisms a requested case may name.
// params: none
// access: aggregate - reference data only
// returns: codes
MATCH (n:Mechanism)
RETURN collect(n.code) AS codes
