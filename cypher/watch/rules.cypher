// name: rules
// purpose: The watch rules (SPEC §10) of one owner, or of every owner when owner is null (the load's summary), with how many rows each has acknowledged.
// params: owner - user name, or null for all owners
// access: aggregate - rules and counts, no offender
// returns: rule_key, owner, name, state, min_risk, statuses, window_days, created_at, acknowledged
MATCH (w:WatchRule)
WHERE $owner IS NULL OR w.owner = $owner
OPTIONAL MATCH (w)-[a:ACKNOWLEDGED]->(:Movement)
WITH w, count(a) AS acknowledged
RETURN w.rule_key AS rule_key, w.owner AS owner, w.name AS name, w.state AS state, w.min_risk AS min_risk,
  w.statuses AS statuses, w.window_days AS window_days, w.created_at AS created_at, acknowledged
ORDER BY owner, name
