// name: clear_links
// purpose: Remove the derived NEXT and SUPERVISION relationships of the given offenders' movements before they are created again (so creating them cannot duplicate).
// params: ids - list of offender_id values
// returns: nothing
UNWIND $ids AS id
MATCH (:Movement {offender_id: id})-[r:NEXT|SUPERVISION]->()
DELETE r
