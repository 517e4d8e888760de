// name: relationship_properties
// purpose: Every property name used by relationships of each (start label, type, end label), and on how many: the columns of the neo4j-admin import files.
// params: none
// access: aggregate - counts and property names only
// returns: start_label, type, end_label, property, relationships
MATCH (a)-[r]->(b)
UNWIND keys(r) AS property
RETURN head(labels(a)) AS start_label, type(r) AS type, head(labels(b)) AS end_label, property,
  count(*) AS relationships
