// name: offenders_nodes
// purpose: Create Offender nodes with all their properties (derived facts included) in an empty graph: the bulk first load (Neo4j).
// params: rows - list of property maps, the key offender_id included
// returns: nothing
UNWIND $rows AS r
CREATE (n:Offender)
SET n = r
