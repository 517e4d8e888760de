// name: movements_nodes
// purpose: Create Movement nodes with all their properties (derived facts included) in an empty graph: the bulk first load (Neo4j).
// params: rows - list of property maps, the key movement_id included
// returns: nothing
UNWIND $rows AS r
CREATE (n:Movement)
SET n = r
