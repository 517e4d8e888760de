// name: movement_detected_by_new
// purpose: Link new movements to the agency that detected the arrival (optional column detected_by). Only for rows whose key is not in the graph yet: CREATE is about twice as fast as MERGE here.
// params: rows - list of {key, agency_id}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Movement {movement_id: r.key})
MATCH (a:Agency {agency_id: r.agency_id})
CREATE (n)-[:DETECTED_BY]->(a)
