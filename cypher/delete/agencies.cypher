// name: agencies
// purpose: Delete the given Agency nodes that no exchange or movement names any more (a remaining row that names one keeps it).
// params: keys - list of agency_id values
// returns: nothing
UNWIND $keys AS k
MATCH (a:Agency {agency_id: k})
OPTIONAL MATCH (a)<-[r:SENT_BY|SENT_TO|DETECTED_BY]-()
WITH a, count(r) AS uses
WHERE uses = 0
DETACH DELETE a
