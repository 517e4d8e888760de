// name: movement_detected_by
// purpose: Link movements to the agency that detected the arrival (optional column detected_by).
// params: rows - list of {key, agency_id}
// returns: nothing
UNWIND $rows AS r
MATCH (n:Movement {movement_id: r.key})
MATCH (a:Agency {agency_id: r.agency_id})
MERGE (n)-[:DETECTED_BY]->(a)
