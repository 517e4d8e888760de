// name: wipe
// purpose: Delete up to $limit nodes of the data contract's labels with their relationships: what a bulk first load that died left half written.
// params: limit - int, nodes per call
// returns: deleted
MATCH (n)
WHERE n:State OR n:OffenceCategory OR n:Mechanism OR n:Agency OR n:Offender OR n:Conviction OR n:Movement OR n:Exchange
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
