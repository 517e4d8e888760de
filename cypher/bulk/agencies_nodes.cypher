// name: agencies_nodes
// purpose: Create Agency nodes with all their properties (derived facts included) in an empty graph: the bulk first load (Neo4j).
// params: rows - list of property maps, the key agency_id included
// returns: nothing
UNWIND $rows AS r
CREATE (n:Agency)
SET n = r
