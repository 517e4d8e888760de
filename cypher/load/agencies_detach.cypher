// name: agencies_detach
// purpose: Remove the relationships a changed agency row defines, before they are merged again.
// params: keys - list of agency_id values
// returns: nothing
UNWIND $keys AS k
MATCH (:Agency {agency_id: k})-[r:IN]->()
DELETE r
