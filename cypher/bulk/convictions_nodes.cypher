// name: convictions_nodes
// purpose: Create Conviction nodes with all their properties (derived facts included) in an empty graph: the bulk first load (Neo4j).
// params: rows - list of property maps, the key conviction_id included
// returns: nothing
UNWIND $rows AS r
CREATE (n:Conviction)
SET n = r
