// name: exchanges_nodes
// purpose: Create Exchange nodes with all their properties (derived facts included) in an empty graph: the bulk first load (Neo4j).
// params: rows - list of property maps, the key exchange_id included
// returns: nothing
UNWIND $rows AS r
CREATE (n:Exchange)
SET n = r
