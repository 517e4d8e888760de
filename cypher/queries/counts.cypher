// name: counts
// purpose: One row per node label and relationship type, with its count.
// access: aggregate - no offender ids; every role may run it
// returns: kind, name, count
MATCH (n)
WHERE NOT n:Meta
UNWIND labels(n) AS name
RETURN 'node' AS kind, name, count(*) AS count
ORDER BY kind, name
UNION ALL
MATCH ()-[r]->()
RETURN 'relationship' AS kind, type(r) AS name, count(*) AS count
ORDER BY kind, name
