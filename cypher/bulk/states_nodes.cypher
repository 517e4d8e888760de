// name: states_nodes
// purpose: Create State nodes with all their properties (derived facts included) in an empty graph: the bulk first load (Neo4j).
// params: rows - list of property maps, the key code included
// returns: nothing
UNWIND $rows AS r
CREATE (n:State)
SET n = r
