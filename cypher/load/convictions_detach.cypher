// name: convictions_detach
// purpose: Remove the relationships a changed conviction row defines (and derived ones), before they are merged again.
// params: keys - list of conviction_id values
// returns: nothing
UNWIND $keys AS k
MATCH (:Conviction {conviction_id: k})-[r]-(x)
WHERE NOT x:Exchange
DELETE r
