// name: clear_links
// purpose: Remove the derived NEXT and SUPERVISION relationships of the given offenders' movements before they are derived again.
// params: ids - list of offender_id values
// returns: nothing
UNWIND $ids AS id
MATCH (:Offender {offender_id: id})-[:MADE]->(:Movement)-[r:NEXT|SUPERVISION]->()
DELETE r
