// name: offenders_detach
// purpose: Remove the relationships a changed offender row defines, before they are merged again.
// params: keys - list of offender_id values
// returns: nothing
UNWIND $keys AS k
MATCH (:Offender {offender_id: k})-[r:NATIONAL_OF]->()
DELETE r
